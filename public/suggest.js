// Suggestions as you type, for the search box: the WAI-ARIA 1.2 combobox pattern (a listbox popup), added
// only when this script runs, so without JavaScript the page is exactly the plain search form it was.
'use strict';
(function () {
  var input = document.querySelector('input[data-suggest]');
  if (!input || !window.fetch) return;
  var form = input.form;
  var endpoint = input.getAttribute('data-suggest');
  var listbox = document.createElement('ul');
  var status = document.createElement('p');
  var options = [];
  var active = -1;
  var timer = 0;
  var requested = '';

  listbox.id = input.id + '-suggesties';
  listbox.className = 'suggestions';
  listbox.setAttribute('role', 'listbox');
  listbox.setAttribute('aria-label', 'Suggesties');
  listbox.hidden = true;
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  input.parentNode.appendChild(listbox);
  input.parentNode.appendChild(status);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listbox.id);

  function close() {
    // Also drop what is pending: a timer or an answer on its way must not reopen a list closed by hand.
    clearTimeout(timer);
    requested = null;
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(index) {
    options.forEach(function (option, i) {
      option.setAttribute('aria-selected', i === index ? 'true' : 'false');
    });
    active = index;
    if (index < 0) input.removeAttribute('aria-activedescendant');
    else {
      input.setAttribute('aria-activedescendant', options[index].id);
      options[index].scrollIntoView({ block: 'nearest' });
    }
  }

  function choose(index) {
    input.value = options[index].textContent;
    close();
    form.submit();
  }

  function show(suggestions) {
    listbox.textContent = '';
    options = suggestions.map(function (s, i) {
      var option = document.createElement('li');
      option.id = listbox.id + '-' + i;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', 'false');
      option.textContent = s.text;
      // mousedown, not click: it comes before the input loses focus (which closes the list).
      option.addEventListener('mousedown', function (event) {
        event.preventDefault();
        choose(i);
      });
      listbox.appendChild(option);
      return option;
    });
    active = -1;
    input.removeAttribute('aria-activedescendant');
    if (options.length === 0) return close();
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    status.textContent = options.length === 1 ? '1 suggestie' : options.length + ' suggesties';
  }

  function fetchSuggestions() {
    var q = input.value;
    requested = q;
    if (q.trim().length < 2) return close();
    fetch(endpoint + '?q=' + encodeURIComponent(q), { headers: { Accept: 'application/json' } })
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (body) {
        // An answer to an older keystroke is dropped: only the latest text is completed.
        if (requested === input.value && document.activeElement === input) show(body.suggestions || []);
      })
      .catch(close);
  }

  input.addEventListener('input', function () {
    // The highlighted option completed the old text; Enter now submits what is typed.
    if (active >= 0) highlight(-1);
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });

  input.addEventListener('keydown', function (event) {
    var open = !listbox.hidden && options.length > 0;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) return fetchSuggestions();
      highlight(active + 1 >= options.length ? 0 : active + 1);
    } else if (event.key === 'ArrowUp') {
      if (!open) return;
      event.preventDefault();
      highlight(active <= 0 ? options.length - 1 : active - 1);
    } else if (event.key === 'Enter') {
      if (open && active >= 0) {
        event.preventDefault();
        choose(active);
      }
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        close();
      }
    }
  });

  input.addEventListener('blur', close);
})();
