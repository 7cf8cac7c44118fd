/**
 * Dutch strong, irregular and mixed verbs and irregular noun plurals, for the analyzer's lemma table.
 * Written from public grammar facts: the lists of strong and irregular verbs in Dutch grammars such as the
 * ANS (Algemene Nederlandse Spraakkunst) and the Woordenlijst Nederlandse Taal (2015 spelling).
 * Each line is `lemma: form form ...`: every listed form is an inflected form of that lemma (verbs: irregular
 * present forms, past singular and plural, past participle; nouns: plurals) that regular rules would not predict.
 */
export const IRREGULAR_FORMS = `
# verbs: lemma: forms

# irregular verbs and verbs with an irregular present tense
zijn: ben bent is was waren geweest
hebben: heb hebt heeft had hadden gehad
kunnen: kan kunt kon konden gekund
mogen: mag mocht mochten gemogen
zullen: zal zult zou zouden
willen: wil wilde wilden wou gewild
moeten: moest moesten gemoeten
weten: wist wisten geweten
worden: werd werden geworden
komen: kwam kwamen gekomen
gaan: ga gaat ging gingen gegaan
staan: sta staat stond stonden gestaan
slaan: sla slaat sloeg sloegen geslagen
zien: zie ziet zag zagen gezien
doen: doe doet deed deden gedaan
zeggen: zei zeiden gezegd
brengen: bracht brachten gebracht
denken: dacht dachten gedacht
dunken: docht dochten gedocht
kopen: kocht kochten gekocht
zoeken: zocht zochten gezocht
plegen: placht plachten
vragen: vroeg vroegen gevraagd
jagen: joeg joegen gejaagd
waaien: woei woeien gewaaid

# ij - ee - ee
bijten: beet beten gebeten
blijken: bleek bleken gebleken
blijven: bleef bleven gebleven
drijven: dreef dreven gedreven
glijden: gleed gleden gegleden
grijpen: greep grepen gegrepen
hijsen: hees hesen gehesen
kijken: keek keken gekeken
kijven: keef keven gekeven
knijpen: kneep knepen geknepen
krijgen: kreeg kregen gekregen
kwijten: kweet kweten gekweten
lijden: leed leden geleden
lijken: leek leken geleken
mijden: meed meden gemeden
nijpen: neep nepen genepen
prijzen: prees prezen geprezen
rijden: reed reden gereden
rijgen: reeg regen geregen
rijten: reet reten gereten
rijzen: rees rezen gerezen
schijnen: scheen schenen geschenen
schijten: scheet scheten gescheten
schrijden: schreed schreden geschreden
schrijven: schreef schreven geschreven
slijpen: sleep slepen geslepen
slijten: sleet sleten gesleten
smijten: smeet smeten gesmeten
snijden: sneed sneden gesneden
spijten: speet speten gespeten
splijten: spleet spleten gespleten
stijgen: steeg stegen gestegen
strijden: streed streden gestreden
strijken: streek streken gestreken
tijgen: toog togen getogen
wijken: week weken geweken
wijzen: wees wezen gewezen
wrijven: wreef wreven gewreven
zeiken: zeek zeken gezeken
zwijgen: zweeg zwegen gezwegen

# ie / ui / e - oo - oo
bieden: bood boden geboden
gieten: goot goten gegoten
genieten: genoot genoten genoten
kiezen: koos kozen gekozen
liegen: loog logen gelogen
schieten: schoot schoten geschoten
vlieden: vlood vloden gevloden
vliegen: vloog vlogen gevlogen
vriezen: vroor vroren gevroren
buigen: boog bogen gebogen
druipen: droop dropen gedropen
duiken: dook doken gedoken
fluiten: floot floten gefloten
kluiven: kloof kloven gekloven
kruipen: kroop kropen gekropen
ruiken: rook roken geroken
schuiven: schoof schoven geschoven
sluipen: sloop slopen geslopen
sluiten: sloot sloten gesloten
snuiten: snoot snoten gesnoten
snuiven: snoof snoven gesnoven
spruiten: sproot sproten gesproten
spuiten: spoot spoten gespoten
stuiven: stoof stoven gestoven
zuigen: zoog zogen gezogen
zuipen: zoop zopen gezopen
spugen: spoog spogen gespogen
scheren: schoor schoren geschoren
wegen: woog wogen gewogen
zweren: zwoer zwoeren zwoor zworen gezworen

# i / e - o - o
beginnen: begon begonnen begonnen
binden: bond bonden gebonden
blinken: blonk blonken geblonken
dingen: dong dongen gedongen
dringen: drong drongen gedrongen
drinken: dronk dronken gedronken
dwingen: dwong dwongen gedwongen
glimmen: glom glommen geglommen
klimmen: klom klommen geklommen
klinken: klonk klonken geklonken
krimpen: kromp krompen gekrompen
schrikken: schrok schrokken geschrokken
slinken: slonk slonken geslonken
spinnen: spon sponnen gesponnen
springen: sprong sprongen gesprongen
stinken: stonk stonken gestonken
verslinden: verslond verslonden verslonden
vinden: vond vonden gevonden
winden: wond wonden gewonden
winnen: won wonnen gewonnen
wringen: wrong wrongen gewrongen
zingen: zong zongen gezongen
zinken: zonk zonken gezonken
bergen: borg borgen geborgen
delven: dolf dolven gedolven
gelden: gold golden gegolden
kerven: korf korven gekorven
melken: molk molken gemolken
schelden: schold scholden gescholden
schenden: schond schonden geschonden
schenken: schonk schonken geschonken
smelten: smolt smolten gesmolten
treffen: trof troffen getroffen
trekken: trok trokken getrokken
vechten: vocht vochten gevochten
vlechten: vlocht vlochten gevlochten
zenden: zond zonden gezonden
zwellen: zwol zwollen gezwollen
zwelgen: zwolg zwolgen gezwolgen
zwemmen: zwom zwommen gezwommen

# e - ie - o
bederven: bedierf bedierven bedorven
helpen: hielp hielpen geholpen
sterven: stierf stierven gestorven
werpen: wierp wierpen geworpen
werven: wierf wierven geworven
zwerven: zwierf zwierven gezworven

# e / o - a - aa - o / e
bevelen: beval bevalen bevolen
breken: brak braken gebroken
nemen: nam namen genomen
spreken: sprak spraken gesproken
steken: stak staken gestoken
stelen: stal stalen gestolen
bidden: bad baden gebeden
eten: at aten gegeten
genezen: genas genazen genezen
geven: gaf gaven gegeven
lezen: las lazen gelezen
liggen: lag lagen gelegen
meten: mat maten gemeten
treden: trad traden getreden
vreten: vrat vraten gevreten
zitten: zat zaten gezeten

# a - oe - a
dragen: droeg droegen gedragen
graven: groef groeven gegraven
varen: voer voeren gevaren
scheppen: schiep schiepen geschapen
heffen: hief hieven geheven

# ie / i - a / o / ou
blazen: blies bliezen geblazen
hangen: hing hingen gehangen
houden: hield hielden gehouden
houwen: hieuw hieuwen gehouwen
laten: liet lieten gelaten
lopen: liep liepen gelopen
raden: ried rieden geraden
roepen: riep riepen geroepen
slapen: sliep sliepen geslapen
stoten: stiet stieten gestoten
vallen: viel vielen gevallen
vangen: ving vingen gevangen
wassen: wies wiesen gewassen

# mixed verbs: weak past tense, strong participle
bakken: gebakken
bannen: gebannen
barsten: gebarsten
braden: gebraden
brouwen: gebrouwen
heten: geheten
lachen: gelachen
laden: geladen
malen: gemalen
scheiden: gescheiden
spannen: gespannen
vouwen: gevouwen
weven: geweven
wreken: gewroken
zouten: gezouten

# inseparable prefixed verbs (participle without ge-)
bedenken: bedacht bedachten bedacht
bedingen: bedong bedongen bedongen
bedragen: bedroeg bedroegen bedragen
bedriegen: bedroog bedrogen bedrogen
bedrijven: bedreef bedreven bedreven
bedwingen: bedwong bedwongen bedwongen
begaan: bega begaat beging begingen begaan
begeven: begaf begaven begeven
begrijpen: begreep begrepen begrepen
behouden: behield behielden behouden
bekijken: bekeek bekeken bekeken
beklimmen: beklom beklommen beklommen
bekomen: bekwam bekwamen bekomen
belijden: beleed beleden beleden
beroepen: beriep beriepen beroepen
beschieten: beschoot beschoten beschoten
beschrijven: beschreef beschreven beschreven
beslaan: besla beslaat besloeg besloegen beslagen
besluiten: besloot besloten besloten
bespreken: besprak bespraken besproken
bestaan: besta bestaat bestond bestonden bestaan
bestijgen: besteeg bestegen bestegen
bestrijden: bestreed bestreden bestreden
betreden: betrad betraden betreden
betreffen: betrof betroffen betroffen
betrekken: betrok betrokken betrokken
bevallen: beviel bevielen bevallen
bevechten: bevocht bevochten bevochten
bevinden: bevond bevonden bevonden
bevriezen: bevroor bevroren bevroren
bewegen: bewoog bewogen bewogen
bewijzen: bewees bewezen bewezen
bezinnen: bezon bezonnen bezonnen
bezitten: bezat bezaten bezeten
bezoeken: bezocht bezochten bezocht
bezweren: bezwoer bezwoeren bezworen
bezwijken: bezweek bezweken bezweken
verbergen: verborg verborgen verborgen
verbieden: verbood verboden verboden
verbinden: verbond verbonden verbonden
verblijven: verbleef verbleven verbleven
verbreken: verbrak verbraken verbroken
verdenken: verdacht verdachten verdacht
verdragen: verdroeg verdroegen verdragen
verdrijven: verdreef verdreven verdreven
verdrinken: verdronk verdronken verdronken
verdwijnen: verdween verdwenen verdwenen
vergaan: verga vergaat verging vergingen vergaan
vergelijken: vergeleek vergeleken vergeleken
vergeten: vergat vergaten vergeten
vergeven: vergaf vergaven vergeven
vergieten: vergoot vergoten vergoten
vergrijpen: vergreep vergrepen vergrepen
verheffen: verhief verhieven verheven
verhouden: verhield verhielden verhouden
verkiezen: verkoos verkozen verkozen
verkopen: verkocht verkochten verkocht
verkrijgen: verkreeg verkregen verkregen
verlaten: verliet verlieten verlaten
verliezen: verloor verloren verloren
verlopen: verliep verliepen verlopen
vermijden: vermeed vermeden vermeden
vermogen: vermocht vermochten vermocht
vernemen: vernam vernamen vernomen
verraden: verried verrieden verraden
verrijzen: verrees verrezen verrezen
verschijnen: verscheen verschenen verschenen
verschuiven: verschoof verschoven verschoven
verslaan: versla verslaat versloeg versloegen verslagen
verslapen: versliep versliepen verslapen
verstaan: versta verstaat verstond verstonden verstaan
verstrijken: verstreek verstreken verstreken
vertrekken: vertrok vertrokken vertrokken
vervallen: verviel vervielen vervallen
vervangen: verving vervingen vervangen
verwerpen: verwierp verwierpen verworpen
verwerven: verwierf verwierven verworven
verwijten: verweet verweten verweten
verwijzen: verwees verwezen verwezen
verzenden: verzond verzonden verzonden
verzinnen: verzon verzonnen verzonnen
verzoeken: verzocht verzochten verzocht
verzwijgen: verzweeg verzwegen verzwegen
ontbijten: ontbeet ontbeten ontbeten
ontbinden: ontbond ontbonden ontbonden
ontbreken: ontbrak ontbraken ontbroken
ontdoen: ontdoe ontdoet ontdeed ontdeden ontdaan
ontgaan: ontga ontgaat ontging ontgingen ontgaan
ontginnen: ontgon ontgonnen ontgonnen
ontglijden: ontgleed ontgleden ontgleden
ontheffen: onthief onthieven ontheven
onthouden: onthield onthielden onthouden
ontkomen: ontkwam ontkwamen ontkomen
ontlopen: ontliep ontliepen ontlopen
ontnemen: ontnam ontnamen ontnomen
ontslaan: ontsla ontslaat ontsloeg ontsloegen ontslagen
ontsluiten: ontsloot ontsloten ontsloten
ontspringen: ontsprong ontsprongen ontsprongen
ontstaan: ontsta ontstaat ontstond ontstonden ontstaan
ontsteken: ontstak ontstaken ontstoken
onttrekken: onttrok onttrokken onttrokken
ontvallen: ontviel ontvielen ontvallen
ontvangen: ontving ontvingen ontvangen
ontwerpen: ontwierp ontwierpen ontworpen
ontwijken: ontweek ontweken ontweken
ontzeggen: ontzei ontzeiden ontzegd
ontzien: ontzie ontziet ontzag ontzagen ontzien
herkiezen: herkoos herkozen herkozen
herkrijgen: herkreeg herkregen herkregen
herroepen: herriep herriepen herroepen
herschrijven: herschreef herschreven herschreven
herwinnen: herwon herwonnen herwonnen
herzien: herzie herziet herzag herzagen herzien
ervaren: ervoer ervoeren ervaren
gedragen: gedroeg gedroegen

# nouns: lemma: plural forms

# short vowel in the singular, long vowel (or another vowel) in the plural
stad: steden
hoofdstad: hoofdsteden
schip: schepen
oorlogsschip: oorlogsschepen
vrachtschip: vrachtschepen
lid: leden
kamerlid: kamerleden
raadslid: raadsleden
familielid: familieleden
bestuurslid: bestuursleden
smid: smeden
goudsmid: goudsmeden
gebed: gebeden
gebrek: gebreken
spel: spelen spellen
bevel: bevelen
weg: wegen
dag: dagen
dak: daken
dal: dalen
gat: gaten
glas: glazen
graf: graven
pad: paden
slag: slagen
staf: staven
vat: vaten
god: goden
hof: hoven
kerkhof: kerkhoven
hol: holen
lot: loten
slot: sloten
verlof: verloven
hertog: hertogen
oorlog: oorlogen

# plurals in -eren (and other irregular plurals)
kind: kinderen
kleinkind: kleinkinderen
ei: eieren
lam: lammeren
kalf: kalveren
rund: runderen
hoen: hoenderen
been: benen beenderen
blad: bladeren bladen blaren
rad: raderen
lied: liederen
goed: goederen
gemoed: gemoederen
gelid: gelederen
volk: volkeren volken
koe: koeien
vlo: vlooien

# -man: -lieden / -lui
koopman: kooplieden kooplui
zakenman: zakenlieden zakenlui
timmerman: timmerlieden timmerlui
edelman: edellieden edellui
staatsman: staatslieden
vakman: vaklieden vaklui
tuinman: tuinlieden tuinlui
stuurman: stuurlieden stuurlui
werkman: werklieden werklui
zeeman: zeelieden zeelui
voerman: voerlieden voerlui
ambachtsman: ambachtslieden ambachtslui
brandweerman: brandweerlieden brandweerlui
raadsman: raadslieden
krijgsman: krijgslieden
zegsman: zegslieden
leidsman: leidslieden
verzetsman: verzetslieden
vertrouwensman: vertrouwenslieden

# Latin and Greek plurals
museum: musea museums
centrum: centra centrums
criterium: criteria criteriums
medium: media mediums
datum: data datums
podium: podia podiums
stadium: stadia stadiums
gymnasium: gymnasia gymnasiums
sanatorium: sanatoria sanatoriums
auditorium: auditoria auditoriums
laboratorium: laboratoria laboratoriums
consortium: consortia consortiums
moratorium: moratoria moratoriums
symposium: symposia symposiums
aquarium: aquaria aquariums
planetarium: planetaria planetariums
decennium: decennia decenniums
millennium: millennia millenniums
jubileum: jubilea jubileums
mausoleum: mausolea mausoleums
curriculum: curricula curriculums
spectrum: spectra spectrums
minimum: minima minimums
maximum: maxima maximums
optimum: optima optimums
quantum: quanta
forum: fora forums
visum: visa visums
memorandum: memoranda memorandums
referendum: referenda referendums
crisis: crises crisissen
basis: bases basissen
catalogus: catalogi catalogussen
syllabus: syllabi syllabussen
radius: radii radiussen
stimulus: stimuli
alumnus: alumni
modus: modi
locus: loci
corpus: corpora
genus: genera
tempus: tempora
lexicon: lexica lexicons
index: indices indexen
matrix: matrices matrixen
codex: codices
schema: schemata
trauma: traumata
stigma: stigmata
tempo: tempi
paparazzo: paparazzi
maffioso: maffiosi
politicus: politici
historicus: historici
musicus: musici
criticus: critici
academicus: academici
botanicus: botanici
chemicus: chemici
classicus: classici
cynicus: cynici
fysicus: fysici
grammaticus: grammatici
logicus: logici
mathematicus: mathematici
mechanicus: mechanici
medicus: medici
practicus: practici
romanticus: romantici
scepticus: sceptici
technicus: technici
theoreticus: theoretici
`;
