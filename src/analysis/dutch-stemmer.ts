/**
 * Snowball's current Dutch stemmer (`dutch`, the Kraaij-Pohlmann algorithm with Snowball's exceptions),
 * ported routine for routine from `algorithms/dutch.sbl` of snowballstem/snowball (Snowball 3.x).
 *
 * The algorithm is © Wessel Kraaij, Renée Pohlmann and the Snowball project, BSD-3-Clause
 * (see https://snowballstem.org/license.html). This TypeScript rendering is our own: the routines keep
 * their Snowball names so the two can be read side by side, and each one notes the Snowball it implements.
 *
 * How it runs: the word lives in the module-level `s`; backward-mode routines receive the cursor `c`
 * (an index into `s`, moving left) and return whether they succeeded, exactly as Snowball's signals do.
 * Snowball's characters are Unicode code points; we index UTF-16 code units and step over surrogate
 * pairs wherever Snowball moves by a character (`next`, `hop`, `non-v`), so astral letters behave as in
 * Snowball's UTF-8 build. There is no cache: every call does the whole algorithm.
 */

// ---- Groupings -------------------------------------------------------------------------------
// `v` = AEIOU + y, `v_WX` = v + w x, `AIOU`, `AEIOU`, `E`, each vowel with its ` ' ^ " accents.

const G_V = 1;
const G_V_WX = 2;
const G_AEIOU = 4;
const G_AIOU = 8;
const G_E = 16;

/** Grouping bits for the code points 0–255; everything above is in no grouping. */
const GROUPS = new Uint8Array(256);
for (const ch of 'aäáàâiïíìîoöóòôuüúùû') GROUPS[ch.charCodeAt(0)!] = G_V | G_V_WX | G_AEIOU | G_AIOU;
for (const ch of 'eëéèê') GROUPS[ch.charCodeAt(0)!] = G_V | G_V_WX | G_AEIOU | G_E;
GROUPS['y'.charCodeAt(0)] = G_V | G_V_WX;
GROUPS['w'.charCodeAt(0)] = G_V_WX;
GROUPS['x'.charCodeAt(0)] = G_V_WX;

const CH_APOS = 0x27; // '
const CH_D = 0x64;
const CH_E = 0x65;
const CH_G = 0x67;
const CH_H = 0x68;
const CH_I = 0x69;
const CH_J = 0x6a;
const CH_N = 0x6e;
const CH_S = 0x73;
const CH_T = 0x74;
const CH_V = 0x76;
const CH_Z = 0x7a;
const CH_E_DIAERESIS = 0xeb; // ë
const CH_I_DIAERESIS = 0xef; // ï

// ---- State -----------------------------------------------------------------------------------

let s = '';
let p1 = 0;
let p2 = 0;
let geRemoved = false;

// ---- Runtime helpers (Snowball's primitives over `s`) -----------------------------------------

/** Grouping bits of the code unit at `i` (0 outside the string or above U+00FF). */
function groups(i: number): number {
  const code = s.charCodeAt(i); // NaN outside the string: NaN < 256 is false
  return code < 256 ? GROUPS[code]! : 0;
}

/** The cursor one character left of `c` (Snowball's backward `next`), stepping over a surrogate pair. */
function prevChar(c: number): number {
  const code = s.charCodeAt(c - 1);
  if (code >= 0xdc00 && code <= 0xdfff && c >= 2) {
    const high = s.charCodeAt(c - 2);
    if (high >= 0xd800 && high <= 0xdbff) return c - 2;
  }
  return c - 1;
}

/** The cursor one character right of `c` (Snowball's forward `next`), stepping over a surrogate pair. */
function nextChar(c: number): number {
  const code = s.charCodeAt(c);
  if (code >= 0xd800 && code <= 0xdbff) {
    const low = s.charCodeAt(c + 1);
    if (low >= 0xdc00 && low <= 0xdfff) return c + 2;
  }
  return c + 1;
}

/** Does the suffix `t` end at cursor `c`? (Snowball's backward string test.) */
function endsAt(t: string, c: number): boolean {
  return c >= t.length && s.endsWith(t, c);
}

/** Replace `s[bra, ket)` with `t` (Snowball's `<-`, `delete`, and `insert` at bra == ket). */
function replace(bra: number, ket: number, t: string): void {
  s = s.slice(0, bra) + t + s.slice(ket);
}

/** `'ij'` ending at `c` (backward). */
function ijAt(c: number): boolean {
  return c >= 2 && s.charCodeAt(c - 1) === CH_J && s.charCodeAt(c - 2) === CH_I;
}

// ---- backwardmode routines ---------------------------------------------------------------------

/** `define R1 as ($p1 <= cursor)` */
function R1(c: number): boolean {
  return p1 <= c;
}

/** `define R2 as ($p2 <= cursor)` */
function R2(c: number): boolean {
  return p2 <= c;
}

/** `define V as test (v or 'ij')` */
function V(c: number): boolean {
  return (c > 0 && (groups(c - 1) & G_V) !== 0) || ijAt(c);
}

/** `define VX as test (next v or 'ij')` */
function VX(c: number): boolean {
  if (c <= 0) return false;
  return V(prevChar(c));
}

/** `define C as test (not 'ij' non-v)` */
function C(c: number): boolean {
  return !ijAt(c) && c > 0 && (groups(c - 1) & G_V) === 0;
}

/**
 * `define lengthen_V`: after a consonant at the end, double a single vowel (a o u always, e unless a
 * vowel or `e` at the start rules it out); `eë` becomes `eëe` and `ië` becomes `iee`. Always succeeds
 * (it is a `do`); called with the cursor at the end of the word.
 */
function lengthen_V(): void {
  let c = s.length;
  // non-v_WX
  if (c <= 0 || (groups(c - 1) & G_V_WX) !== 0) return;
  c = prevChar(c);
  if (c <= 0) return;
  // [substring] among (...): the longest of the one-letter vowels and `eë`, `ië` ending at c
  const ket = c;
  const code = s.charCodeAt(c - 1);
  if (code === CH_E_DIAERESIS) {
    if (c >= 2 && s.charCodeAt(c - 2) === CH_E) replace(c - 2, ket, 'e\u00ebe');
    else if (c >= 2 && s.charCodeAt(c - 2) === CH_I) replace(c - 2, ket, 'iee');
    return;
  }
  const bra = c - 1;
  const g = groups(bra);
  if ((g & G_AIOU) !== 0 && (g & G_AEIOU) !== 0 && !isI(code)) {
    // a/o/u group: test (non-AEIOU or atlimit) ->ch insert ch
    if (bra > 0 && (groups(bra - 1) & G_AEIOU) !== 0) return;
    replace(bra, bra, s[bra]!);
    return;
  }
  if ((g & G_E) !== 0 && code !== CH_E_DIAERESIS) {
    // e group: test (non-AEIOU or atlimit  not (AIOU or (E atlimit))  not (next AIOU non-AEIOU))
    let t = bra;
    if (t > 0) {
      if ((groups(t - 1) & G_AEIOU) !== 0) return; // non-AEIOU fails and we are not at the limit
      t = prevChar(t);
    }
    if (t > 0 && (groups(t - 1) & G_AIOU) !== 0) return;
    if (t === 1 && (groups(0) & G_E) !== 0) return;
    if (t > 0) {
      const u = prevChar(t);
      if (u > 0 && (groups(u - 1) & G_AIOU) !== 0) {
        const w = u - 1;
        if (w > 0 && (groups(w - 1) & G_AEIOU) === 0) return;
      }
    }
    replace(bra, bra, s[bra]!);
  }
}

/** i and its accented forms are in AIOU but not in lengthen_V's a/o/u list. */
function isI(code: number): boolean {
  return code === 0x69 || code === 0xef || code === 0xed || code === 0xec || code === 0xee;
}

/** `define Step_1`: plural and inflection endings: 's, s, ies, es, és, aus, en, nde. */
function Step_1(): boolean {
  const L = s.length;
  const last = s.charCodeAt(L - 1);
  if (last === CH_S) {
    if (endsAt('ies', L)) {
      const c = L - 3;
      if (!R1(c)) return false;
      replace(c, L, 'ie');
      return true;
    }
    if (endsAt('aus', L)) {
      const c = L - 3;
      if (!(R1(c) && V(c))) return false;
      replace(c, L, 'au');
      return true;
    }
    if (endsAt("'s", L)) {
      replace(L - 2, L, '');
      return true;
    }
    if (endsAt('es', L)) {
      const c = L - 2;
      if (endsAt('ar', c) && R1(c - 2) && C(c - 2)) {
        replace(c, L, '');
        lengthen_V();
        return true;
      }
      if (endsAt('er', c) && R1(c - 2) && C(c - 2)) {
        replace(c, L, '');
        return true;
      }
      if (R1(c) && C(c)) {
        replace(c, L, 'e');
        return true;
      }
      return false;
    }
    if (endsAt('\u00e9s', L)) {
      const c = L - 2;
      if (!R1(c)) return false;
      replace(c, L, '\u00e9');
      return true;
    }
    // 's': R1 not ('t' R1) C delete
    const c = L - 1;
    if (!R1(c)) return false;
    if (s.charCodeAt(c - 1) === CH_T && R1(c - 1)) return false;
    if (!C(c)) return false;
    replace(c, L, '');
    return true;
  }
  if (last === CH_N) {
    if (!endsAt('en', L)) return false;
    const c = L - 2;
    if (endsAt('hed', c) && R1(c - 3)) {
      replace(c - 3, L, 'heid');
      return true;
    }
    if (endsAt('nd', c)) {
      replace(c, L, '');
      return true;
    }
    if (s.charCodeAt(c - 1) === CH_D && R1(c - 1) && C(c - 1)) {
      replace(c - 1, L, '');
      return true;
    }
    const before = s.charCodeAt(c - 1);
    if ((before === CH_I || before === CH_J) && V(c - 1)) {
      replace(c, L, '');
      return true;
    }
    if (R1(c) && C(c)) {
      replace(c, L, '');
      lengthen_V();
      return true;
    }
    return false;
  }
  if (last === CH_E && endsAt('nde', L)) {
    replace(L - 1, L, '');
    return true;
  }
  return false;
}

/** `define Step_2`: -e endings, diminutives (-je) and adjectival -e. */
function Step_2(): boolean {
  const L = s.length;
  if (s.charCodeAt(L - 1) !== CH_E || L < 2) return false;
  if (endsAt('lijke', L)) return R1(L - 5) && (replace(L - 1, L, ''), true);
  if (endsAt('ische', L)) return R1(L - 5) && (replace(L - 1, L, ''), true);
  if (endsAt('ieve', L)) {
    const c = L - 4;
    if (!(R1(c) && C(c))) return false;
    replace(c, L, 'ief');
    return true;
  }
  if (endsAt('ene', L)) {
    const c = L - 3;
    if (!(R1(c) && C(c))) return false;
    replace(c, L, 'en');
    lengthen_V();
    return true;
  }
  const c = L - 2;
  switch (s.charCodeAt(c)) {
    case CH_J: // 'je'
      return Step_2_je(c, L);
    case CH_G: // 'ge'
    case CH_T: // 'te'
    case CH_S: // 'se'
    case 0x72: // 're'
      if (!R1(c)) return false;
      replace(L - 1, L, '');
      return true;
    case CH_D: // 'de'
      if (!(R1(c) && C(c))) return false;
      replace(c, L, '');
      return true;
    case 0x6c: // 'le': R1 delete attach 'l' lengthen_V
      if (!R1(c)) return false;
      replace(c, L, 'l');
      lengthen_V();
      return true;
    default:
      return false;
  }
}

/** Step_2's alternatives for a final `je` whose start is at `c`. */
function Step_2_je(c: number, L: number): boolean {
  if (endsAt("'t", c)) {
    replace(c - 2, L, '');
    return true;
  }
  if (endsAt('et', c) && R1(c - 2) && C(c - 2)) {
    replace(c - 2, L, '');
    return true;
  }
  if (endsAt('rnt', c)) {
    replace(c - 3, L, 'rn');
    return true;
  }
  if (s.charCodeAt(c - 1) === CH_T && R1(c - 1) && VX(c - 1)) {
    replace(c - 1, L, '');
    return true;
  }
  if (endsAt('ink', c)) {
    replace(c - 3, L, 'ing');
    return true;
  }
  if (endsAt('mp', c)) {
    replace(c - 2, L, 'm');
    return true;
  }
  if (s.charCodeAt(c - 1) === CH_APOS && R1(c - 1)) {
    replace(c - 1, L, '');
    return true;
  }
  if (R1(c) && C(c)) {
    replace(c, L, '');
    return true;
  }
  return false;
}

/** `define Step_3`: derivational suffixes: -atie, -iteit, -heid, -sel, -ster, -rder, -ing, -isme, -erij, ... */
function Step_3(): boolean {
  const L = s.length;
  switch (s.charCodeAt(L - 1)) {
    case CH_E:
      if (endsAt('atie', L)) return R1(L - 4) && (replace(L - 4, L, 'eer'), true);
      if (endsAt('isme', L)) return Step_3_ing(L - 4, L);
      if (endsAt('fie', L)) return Step_3_fie(L - 3, 'f');
      if (endsAt('gie', L)) return Step_3_fie(L - 3, 'g');
      return false;
    case CH_T:
      if (endsAt('iteit', L)) {
        if (!R1(L - 5)) return false;
        replace(L - 5, L, '');
        lengthen_V();
        return true;
      }
      if (endsAt('tst', L)) return R1(L - 3) && C(L - 3) && (replace(L - 3, L, 't'), true);
      if (endsAt('dst', L)) return R1(L - 3) && C(L - 3) && (replace(L - 3, L, 'd'), true);
      return false;
    case CH_D:
      if (endsAt('heid', L)) return R1(L - 4) && (replace(L - 4, L, ''), true);
      return false;
    case 0x6c: // l
      if (endsAt('sel', L)) return R1(L - 3) && (replace(L - 3, L, ''), true);
      return false;
    case 0x72: // r
      if (endsAt('ster', L)) return R1(L - 4) && (replace(L - 4, L, ''), true);
      if (endsAt('rder', L)) {
        replace(L - 4, L, 'r');
        return true;
      }
      return false;
    case CH_G:
      if (endsAt('ing', L)) return Step_3_ing(L - 3, L);
      return false;
    case CH_J:
      if (endsAt('erij', L)) return Step_3_ing(L - 4, L);
      if (endsAt('arij', L)) return R1(L - 4) && C(L - 4) && (replace(L - 4, L, 'aar'), true);
      return false;
    default:
      return false;
  }
}

/** Step_3's action for 'ing', 'isme', 'erij': ('ild' <- 'er') or (R1 delete lengthen_V). */
function Step_3_ing(c: number, L: number): boolean {
  // Snowball's exception: after `ild`, the suffix becomes `er` — `schilderij` → `schilder`, with `schilder(en)`.
  if (endsAt('ild', c)) {
    replace(c, L, 'er');
    return true;
  }
  if (!R1(c)) return false;
  replace(c, L, '');
  lengthen_V();
  return true;
}

/** Step_3's action for 'fie', 'gie': R2 delete attach <letter> lengthen_V. */
function Step_3_fie(c: number, letter: string): boolean {
  if (!R2(c)) return false;
  replace(c, s.length, letter);
  lengthen_V();
  return true;
}

/** `define Step_4`: adjectival and comparative suffixes (-baar, -achtig, -lijker, -end, -ig, ...). */
function Step_4(): boolean {
  return Step_4_first() || Step_4_ig();
}

function Step_4_first(): boolean {
  const L = s.length;
  switch (s.charCodeAt(L - 1)) {
    case 0x6c: // l
      if (endsAt('ioneel', L)) return R1(L - 6) && (replace(L - 6, L, 'ie'), true);
      return false;
    case 0x66: // f
      if (endsAt('atief', L)) return R1(L - 5) && (replace(L - 5, L, 'eer'), true);
      return false;
    case 0x72: // r
      if (endsAt('baar', L)) return R1(L - 4) && (replace(L - 4, L, ''), true);
      if (endsAt('naar', L)) return R1(L - 4) && V(L - 4) && (replace(L - 4, L, 'n'), true);
      if (endsAt('laar', L)) return R1(L - 4) && V(L - 4) && (replace(L - 4, L, 'l'), true);
      if (endsAt('raar', L)) return R1(L - 4) && V(L - 4) && (replace(L - 4, L, 'r'), true);
      if (endsAt('lijker', L)) return R1(L - 6) && (replace(L - 6, L, 'lijk'), true);
      if (endsAt('achtiger', L)) return R1(L - 8) && (replace(L - 8, L, ''), true);
      if (endsAt('eriger', L)) return Step_4_end(L - 6, L);
      return false;
    case CH_T:
      if (endsAt('tant', L)) return R1(L - 4) && (replace(L - 4, L, 'teer'), true);
      if (endsAt('lijkst', L)) return R1(L - 6) && (replace(L - 6, L, 'lijk'), true);
      if (endsAt('achtigst', L)) return R1(L - 8) && (replace(L - 8, L, ''), true);
      if (endsAt('erigst', L)) return Step_4_end(L - 6, L);
      return false;
    case CH_G:
      if (endsAt('achtig', L)) return R1(L - 6) && (replace(L - 6, L, ''), true);
      if (endsAt('erig', L)) return Step_4_end(L - 4, L);
      return false;
    case CH_D:
      if (endsAt('end', L)) return Step_4_end(L - 3, L);
      return false;
    default:
      return false;
  }
}

/** Step_4's action for 'eriger', 'erigst', 'erig', 'end': R1 C delete lengthen_V. */
function Step_4_end(c: number, L: number): boolean {
  if (!(R1(c) && C(c))) return false;
  replace(c, L, '');
  lengthen_V();
  return true;
}

/** Step_4's second among: 'iger' 'igst' 'ig' (R1 not ('inn' atlimit) C delete lengthen_V). */
function Step_4_ig(): boolean {
  const L = s.length;
  let c: number;
  if (endsAt('iger', L) || endsAt('igst', L)) c = L - 4;
  else if (endsAt('ig', L)) c = L - 2;
  else return false;
  if (!R1(c)) return false;
  if (c === 3 && endsAt('inn', c)) return false; // keeps `innig` apart from `in`
  if (!C(c)) return false;
  replace(c, L, '');
  lengthen_V();
  return true;
}

/** `define Step_7`: kt → k, ft → f, pt → p. */
function Step_7(): boolean {
  const L = s.length;
  if (L < 2 || s.charCodeAt(L - 1) !== CH_T) return false;
  const code = s.charCodeAt(L - 2);
  if (code === 0x6b || code === 0x66 || code === 0x70) {
    replace(L - 1, L, '');
    return true;
  }
  return false;
}

/** `define Step_6`: undouble a final consonant; a final v becomes f and z becomes s. */
function Step_6(): boolean {
  const L = s.length;
  const last = s.charCodeAt(L - 1);
  if (L >= 2 && s.charCodeAt(L - 2) === last && isDoublable(last)) {
    if (last === CH_N && L === 3 && s.charCodeAt(0) === CH_I) return false; // keeps `innen` apart from `in`
    replace(L - 1, L, '');
    return true;
  }
  if (last === CH_V) {
    replace(L - 1, L, 'f');
    return true;
  }
  if (last === CH_Z) {
    replace(L - 1, L, 's');
    return true;
  }
  return false;
}

/** The consonants Step_6 undoubles: b c d f g h j k l m n p q r s t v w x z. */
function isDoublable(code: number): boolean {
  return code >= 0x62 && code <= 0x7a && code !== 0x65 && code !== 0x69 && code !== 0x6f && code !== 0x75 && code !== 0x79;
}

/** `define Step_1c`: after ge- was removed, drop a final d or t (participles: gepland → plan). */
function Step_1c(): boolean {
  const L = s.length;
  const last = s.charCodeAt(L - 1);
  if (last !== CH_D && last !== CH_T) return false;
  const c = L - 1;
  if (!(R1(c) && C(c))) return false;
  if (last === CH_D) {
    if (s.charCodeAt(c - 1) === CH_N && R1(c - 1)) return false;
    if (c === 2 && endsAt('in', c)) {
      replace(c, L, 'n'); // conflates `geïnd` with `innen`, not with `in`
      return true;
    }
    replace(c, L, '');
    return true;
  }
  if (s.charCodeAt(c - 1) === CH_H && R1(c - 1)) return false;
  if (c === 2 && endsAt('en', c)) return false; // keeps `geënt` apart from `en`
  replace(c, L, '');
  return true;
}

// ---- forward-mode routines ---------------------------------------------------------------------

/** Forward `'ij' or v` at `c`: the cursor after it, or -1. */
function vowelAt(c: number): number {
  if (s.charCodeAt(c) === CH_I && s.charCodeAt(c + 1) === CH_J) return c + 2;
  return (groups(c) & G_V) !== 0 ? c + 1 : -1;
}

/** `hop n` from `c`: the cursor n characters on, or -1 past the end. */
function hop(c: number, n: number): number {
  for (let k = 0; k < n; k++) {
    if (c >= s.length) return -1;
    c = nextChar(c);
  }
  return c;
}

/** `test (gopast ('ij' or v) repeat ('ij' or v) not atlimit)` from `c`. */
function vowelThenMore(c: number): boolean {
  const L = s.length;
  let r: number;
  while ((r = vowelAt(c)) < 0) {
    if (c >= L) return false;
    c = nextChar(c);
  }
  c = r;
  while ((r = vowelAt(c)) >= 0) c = r;
  return c < L;
}

/** The `do ([substring] among ('ë' (<-'e') 'ï' (<-'i')))` that ends Lose_prefix and Lose_infix. */
function undoDiaeresis(c: number): void {
  const code = s.charCodeAt(c);
  if (code === CH_E_DIAERESIS) replace(c, c + 1, 'e');
  else if (code === CH_I_DIAERESIS) replace(c, c + 1, 'i');
}

/** `define Lose_prefix`: drop a leading ge- that leaves a real stem (gepland → pland). */
function Lose_prefix(): boolean {
  if (!(s.charCodeAt(0) === CH_G && s.charCodeAt(1) === CH_E)) return false;
  if (hop(2, 3) < 0) return false;
  if (!vowelThenMore(2)) return false;
  // among: 'eft' (false)  'val' (false)  'vali' (true)  'vaa' 'vare' (false)  '' (true) — Snowball's exceptions:
  let c = 2;
  if (s.startsWith('eft', 2)) return false; // `geeft` keeps its ge- (not the stem of `eft`)
  if (s.startsWith('vali', 2)) c = 6; // `gevalideerd` loses ge-: with `valideren`, not `geval`
  // `geval`/`gevallen` (an accident) and `gevaar`/`gevaren` (danger, sailed) keep ge-: they are not `val`, `vaar`
  else if (s.startsWith('val', 2) || s.startsWith('vaa', 2) || s.startsWith('vare', 2)) return false;
  geRemoved = true;
  replace(0, 2, '');
  undoDiaeresis(c - 2);
  return true;
}

/** `define Lose_infix`: drop the first ge- after the first letter (opgezegd → opzegd). */
function Lose_infix(): boolean {
  const L = s.length;
  if (L === 0) return false;
  let c = nextChar(0);
  for (;;) {
    if (s.charCodeAt(c) === CH_G && s.charCodeAt(c + 1) === CH_E) break;
    if (c >= L) return false;
    c = nextChar(c);
  }
  const bra = c;
  c += 2;
  if (hop(c, 3) < 0) return false;
  if (!vowelThenMore(c)) return false;
  geRemoved = true;
  replace(bra, bra + 2, '');
  undoDiaeresis(bra);
  return true;
}

/** `define measure`: p1 and p2 after the first and second vowel-consonant sequences ('ij' counts as a vowel). */
function measure(): void {
  const L = s.length;
  p1 = L;
  p2 = L;
  let c = 0;
  for (let round = 0; round < 2; round++) {
    while (c < L && (groups(c) & G_V) === 0) c = nextChar(c); // repeat non-v
    let r = vowelAt(c); // atleast 1 ('ij' or v)
    if (r < 0) return;
    c = r;
    while ((r = vowelAt(c)) >= 0) c = r;
    if (c >= L) return; // non-v
    c = nextChar(c);
    if (round === 0) p1 = c;
    else p2 = c;
  }
}

/**
 * Stem one lowercase Dutch word with Snowball's `dutch` (Kraaij-Pohlmann) algorithm.
 * @param word  a single lowercase word, diacritics as written
 * @returns Snowball's stem, diacritics and all
 * @example stemDutch('aangekondigd') === stemDutch('aankondigen') // 'aankondig'
 */
export function stemDutch(word: string): string {
  s = word;
  let stemmed = false;
  measure();
  if (Step_1()) stemmed = true;
  if (Step_2()) stemmed = true;
  if (Step_3()) stemmed = true;
  if (Step_4()) stemmed = true;
  geRemoved = false;
  if (Lose_prefix()) measure();
  if (geRemoved) {
    stemmed = true;
    Step_1c();
  }
  geRemoved = false;
  if (Lose_infix()) measure();
  if (geRemoved) {
    stemmed = true;
    Step_1c();
  }
  if (Step_7()) stemmed = true;
  if (stemmed) Step_6();
  const result = s;
  s = '';
  return result;
}
