package entity

import "strings"

// familyNames are East Asian family names, written before the given name in wire copy
// ("Nguyen Van Thanh", "Park Ji-won", "Wang Yi"): followed by a given name they make a
// person without any other cue.
const familyNames = `
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly trinh dinh mai truong lam luong
kim lee yi park choi jung jeong kang cho yoon yun jang lim han oh seo shin kwon hwang ahn song jeon hong
moon yang ko baek nam noh roh ryu yoo yu chung chun
wang li zhang liu chen huang zhao wu zhou xu sun ma zhu hu guo he lin gao luo zheng liang xie tang
feng deng cao peng zeng xiao tian dong pan yuan cai jiang du ye cheng wei su lu ding ren shen yao
cui zhong tan fan liao shi jin jia xia fu fang zou xiong bai meng qin qiu hou yin xue yan duan lei
xi qian kong mao wen gong
`

// personRoles are occupations and roles that mark the name next to them as a person:
// before it ("economist Jane Doe", "l'agriculteur Jean Dupont") or in apposition
// ("Jane Doe, a nurse,").
const personRoles = `
nurse doctor surgeon physician teacher student pupil farmer fisherman worker workers driver pilot soldier officer
lawyer attorney prosecutor judge economist analyst strategist researcher scientist professor lecturer historian
expert engineer architect journalist reporter photographer writer author novelist poet artist painter sculptor
actor actress singer musician composer director filmmaker curator chef owner founder coordinator referee umpire
resident residents mother father son daughter wife husband widow brother sister grandmother grandfather
activist campaigner protester volunteer organiser organizer spokesman spokeswoman spokesperson official
candidate lawmaker legislator politician diplomat negotiator minister senator councillor councilor mayor
player striker midfielder defender goalkeeper coach manager captain athlete runner cyclist swimmer boxer
survivor victim witness suspect defendant plaintiff priest pastor nun monk imam rabbi entrepreneur investor
trader banker businessman businesswoman executive boss chairman chairwoman president consultant adviser advisor
shopkeeper vendor baker butcher mechanic miner labourer laborer cleaner carer caregiver paramedic firefighter
midwife pharmacist dentist veterinarian vet psychologist psychiatrist epidemiologist virologist climatologist
meteorologist seismologist volcanologist economiste
infirmier infirmière médecin chirurgien enseignant enseignante professeur professeure élève étudiant étudiante
agriculteur agricultrice éleveur éleveuse pêcheur ouvrier ouvrière chauffeur pilote soldat militaire officier
avocat avocate procureur procureure juge économiste analyste chercheur chercheuse scientifique historien historienne
expert experte ingénieur architecte journaliste photographe écrivain écrivaine auteur autrice romancier poète
artiste peintre acteur actrice chanteur chanteuse musicien musicienne réalisateur réalisatrice commissaire
habitant habitante riverain riveraine mère père fils fille veuve frère sœur militant militante bénévole
candidat candidate élu élue député députée sénateur sénatrice maire conseiller conseillère entraîneur
joueur joueuse attaquant défenseur gardien capitaine athlète coureur coureuse cycliste nageur nageuse boxeur
survivant survivante victime témoin suspect accusé prévenu prêtre pasteur imam rabbin entrepreneur investisseur
commerçant commerçante boulanger boucher mécanicien retraité retraitée patron patronne dirigeant dirigeante
porte-parole président présidente directeur directrice fondateur fondatrice coordinateur coordinatrice arbitre sélectionneur
enfermero enfermera médico médica cirujano maestro maestra profesor profesora alumno alumna estudiante
agricultor agricultora ganadero ganadera pescador obrero obrera conductor chófer piloto soldado militar oficial
abogado abogada fiscal juez jueza economista analista investigador investigadora científico científica
historiador historiadora experto experta ingeniero ingeniera arquitecto arquitecta periodista fotógrafo
escritor escritora autor autora novelista poeta artista pintor pintora actor actriz cantante músico música
director directora productor productora cineasta comisario comisaria vecino vecina vecinos residente madre
padre hijo hija viuda hermano hermana abuela abuelo activista manifestante voluntario voluntaria
candidato candidata diputado diputada senador senadora alcalde alcaldesa concejal concejala entrenador
jugador jugadora delantero defensa portero capitán atleta corredor ciclista nadador boxeador
superviviente víctima testigo sospechoso acusado sacerdote cura pastor imán rabino empresario empresaria
inversor comerciante panadero carnicero mecánico jubilado jubilada dueño dueña propietario propietaria
portavoz presidente presidenta fundador fundadora consejero consejera coordinador coordinadora árbitro seleccionador
krankenpfleger krankenschwester arzt ärztin chirurg lehrer lehrerin schüler schülerin student studentin
landwirt landwirtin bauer bäuerin fischer arbeiter arbeiterin fahrer fahrerin pilot pilotin soldat soldatin
polizist polizistin offizier anwalt anwältin rechtsanwalt rechtsanwältin staatsanwalt staatsanwältin
richter richterin ökonom ökonomin analyst analystin forscher forscherin wissenschaftler wissenschaftlerin
historiker historikerin experte expertin ingenieur ingenieurin architekt architektin journalist journalistin
fotograf fotografin schriftsteller schriftstellerin autor autorin künstler künstlerin maler malerin
schauspieler schauspielerin sänger sängerin musiker musikerin regisseur regisseurin kurator kuratorin
anwohner anwohnerin einwohner einwohnerin mutter vater sohn tochter witwe bruder schwester aktivist aktivistin
kandidat kandidatin abgeordneter abgeordnete bürgermeister bürgermeisterin stadtrat landrat landrätin
spieler spielerin stürmer verteidiger torwart kapitän athlet athletin trainer trainerin
überlebende überlebender opfer zeuge zeugin verdächtige verdächtiger angeklagte angeklagter pfarrer pfarrerin
unternehmer unternehmerin investor investorin händler händlerin inhaber inhaberin rentner rentnerin
geschäftsführer geschäftsführerin vorstandschef vorstandschefin gründer gründerin sprecher sprecherin
schiedsrichter schiedsrichterin koordinator koordinatorin bischof pfarrer
`

// orgNouns describe an organisation; a name right after one is the organisation's
// ("carmaker Volkswagen", "le syndicat FO", "la petrolera Repsol", "Autobauer BMW"),
// and one in apposition marks the name before it ("Ecolatina, a consultancy,").
const orgNouns = `
company firm group carmaker automaker chipmaker drugmaker planemaker steelmaker shipbuilder maker manufacturer
producer retailer supermarket chain lender bank insurer reinsurer broker brokerage carrier airline operator
operators utility utilities provider supplier distributor developer builder contractor conglomerate giant
startup start-up consultancy consulting agency regulator watchdog charity ngo organisation organization
association federation union confederation party broadcaster newspaper daily weekly magazine publisher
network channel station club team side university college institute foundation fund investor
outfit miner refiner producer exporter importer exchange platform app marketplace holding subsidiary
unit division affiliate rival rivals
entreprise société groupe constructeur fabricant producteur distributeur enseigne banque assureur
transporteur compagnie opérateur fournisseur géant syndicat fédération association confédération parti
chaîne quotidien hebdomadaire journal magazine éditeur club équipe université institut fondation fonds
organisation ong mutuelle coopérative filiale régulateur gendarme
empresa compañía grupo constructora fabricante productora distribuidora cadena banco entidad aseguradora
aerolínea operadora operador proveedora proveedor eléctrica petrolera gasista teleco operadora gigante
sindicato federación asociación confederación partido formación cadena diario periódico semanario revista
editorial club equipo universidad instituto fundación fondo organización ong filial cooperativa regulador
consultora firma patronal
konzern unternehmen firma hersteller autobauer autokonzern chemiekonzern energiekonzern stahlkonzern
versicherer rückversicherer bank geldhaus kreditinstitut airline fluggesellschaft betreiber anbieter
händler einzelhändler discounter versandhändler zulieferer gewerkschaft verband partei sender zeitung
verein klub club mannschaft hochschule universität institut stiftung fonds startup reederei
`

// orgNounEndsDE are ends of German compounds that describe an organisation
// ("Hafenbetreiber", "Terminalbetreibers", "Chemiekonzern", "Lebensmittelhändler").
var orgNounEndsDE = []string{"konzern", "konzerns", "hersteller", "herstellers", "betreiber", "betreibers",
	"bauer", "bauers", "anbieter", "anbieters", "handler", "handlers", "versicherer", "versicherers",
	"zulieferer", "zulieferers", "unternehmen", "unternehmens", "gewerkschaft", "verband", "verbands", "verbandes",
	"gesellschaft", "reederei", "kette", "discounter", "discounters", "dienstleister", "dienstleisters",
	"riese", "riesen", "gruppe", "produzent", "produzenten", "sender", "senders", "zeitung", "verlag", "verlags",
	"dienst", "dienstes", "konkurrent", "konkurrenten", "rivale", "rivalen", "plattform", "portal"}

// eventLeads open the name of an event, a storm or an operation, never a person's
// ("Storm Ciarán", "Hurricane Milton", "Operation Sindoor", "Tempête Ciarán").
const eventLeads = `storm hurricane typhoon cyclone tropical operation tempete tormenta huracan tifon sturm orkan
tief hoch taifun wirbelsturm medaille medal prize trophy award cup`

// moreCommon are function words and sentence openers of news copy: capitalised at a
// sentence start they begin no name ("Despite", "Nach", "Selon", "Según").
const moreCommon = `
despite amid amidst following unlike like beyond behind besides regarding concerning upon within whether
once instead rather nearly almost around about roughly just among while whilst whereas though although
officials observers economists investigators prosecutors lawmakers legislators protesters demonstrators
residents villagers survivors relatives families parents children students workers employees staff
shoppers voters fans players passengers travellers travelers drivers farmers patients doctors nurses
scientists researchers authorities firefighters rescuers paramedics volunteers activists campaigners
many most some few several others both neither either another each every
asked speaking writing responding commenting addressing announcing
executive ejecutivo exécutif gobierno gouvernement
malgré lors dès face outre parmi hier aujourd'hui demain ensuite enfin désormais toutefois cependant
néanmoins pourtant puis environ près presque notamment surtout seulement également aussi
selon d'après interrogé interrogée
pese durante mediante hoy ayer mañana además asimismo sin embargo luego entonces casi cerca unos
aproximadamente incluso solo sólo sobre todo también tampoco consultado consultada preguntado
nachdem außerdem ausserdem zudem jedoch allerdings bereits dabei daher deshalb trotzdem zuvor zuletzt
insgesamt inzwischen derzeit angesichts gemäß zufolge etwa rund knapp fast gut mehrere einige viele
wie bislang bisher zunächst erst später danach damit demnach dennoch ebenfalls gleichzeitig immer
`

// germanNouns are common German nouns that news copy capitalises: a capitalised pair
// holding one is a noun phrase, not a name ("Terminalbetreibers Eurogate").
const germanNouns = `
mann frau kind kinder leute menschen jahr jahre jahren monat monate woche wochen tag tage tagen stunde stunden
zeit ende anfang beginn mitte lage kosten preis preise geld euro prozent millionen milliarden zahl zahlen
stadt land länder staat regierung polizei feuerwehr gericht richter minister ministerin kanzler chef chefin
firma unternehmen konzern bank markt märkte wirtschaft industrie arbeit arbeiter beschäftigte streik
angaben bericht berichten sprecher sprecherin sprecherinnen sprechers mitteilung erklärung interview zeitung
haus häuser straße straßen wohnung wohnungen schule schulen universität krankenhaus klinik kirche
krieg angriff angriffe soldaten armee truppen waffen frieden verhandlungen gespräche gipfel treffen
wahl wahlen partei parteien stimmen mehrheit koalition opposition parlament gesetz gesetze plan pläne
frage fragen antwort problem probleme lösung ziel ziele grund gründe folge folgen weg wege teil teile
welt europa region gebiet grenze grenzen küste hafen flughafen bahnhof zug züge auto autos fahrzeug
wetter sturm regen hitze kälte schnee wasser feuer brand unfall opfer tote verletzte
ermittler ermittlungen staatsanwaltschaft verfahren prozess urteil strafe haft
experten fachleute forscher studie daten umfrage analyse prognose entwicklung wachstum rückgang anstieg
unternehmer verbraucher kunden nutzer bürger einwohner anwohner bewohner besucher zuschauer fans
mannschaft spiel spiele spieler trainer saison tor tore sieg niederlage meisterschaft
ausstellung museum bild bilder werk werke künstler kunst musik film filme buch bücher
derby u-bahn u-bahnen s-bahn s-bahnen e-auto e-autos e-mail e-mails
`

// germanNounEnds are the ends of German common nouns; a word so ending is no surname.
var germanNounEnds = []string{"ung", "ungen", "heit", "keit", "schaft", "tion", "tionen", "tät", "ismus", "nis",
	"chen", "ment", "ität", "ierung", "anz", "enz", "ur", "ik", "ie", "ei", "ers", "ums", "ungs"}

// companyHeads end the names of companies and utilities ("Thames Water", "Siemens
// Energy", "Acme Holdings"): a capitalised pair so ending is no person.
const companyHeads = `water power electric electricity energy capital partners holdings holding group foods food
brands motors airlines airways logistics pharma pharmaceuticals therapeutics biotech software labs solutions
ventures insurance assurance securities investments properties resources mining minerals steel chemicals
telecom telecoms communications mobile wireless networks entertainment studios records pictures films
publishing press books games gaming sports retail stores supermarkets bank bancorp financial finance credit
capital markets advisors advisers consulting engineering construction automotive aerospace defence defense
shipping lines rail railways railway transport transit express freight cargo oil gas petroleum
`

func addWordsExtra(m map[string]wordFlag) {
	addWords(m, familyNames, fFamily)
	addWords(m, personRoles, fRole)
	addWords(m, orgNouns, fOrgNoun)
	addWords(m, eventLeads, fEventLead)
	addWords(m, moreCommon, fCommon)
	addWords(m, companyHeads, fCompanyHead)
	addWords(m, germanNouns, fGermanNoun)
	addWords(m, surnames, fSurname)
}

// germanNoun reports whether a folded German word reads as a common noun rather than
// a surname: a listed noun, a noun ending or a long compound.
func germanNoun(lex map[string]wordFlag, w string) bool {
	if lex[w]&fGermanNoun != 0 {
		return true
	}
	if strings.Contains(w, "-") {
		return false // "Strack-Zimmermann", "Ifo-Präsident" is a title
	}
	if len(w) >= 13 {
		return true
	}
	for _, e := range germanNounEnds {
		if len(w) > len(e)+3 && strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// germanOrgNoun reports whether a folded German compound describes an organisation.
func germanOrgNoun(w string) bool {
	for _, e := range orgNounEndsDE {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// surnames are frequent family names across the languages of wire copy: after an
// unknown capitalised first name they make a person ("Zadie Smith", "Hardik Pandya").
const surnames = `
smith johnson williams jones davis miller wilson moore taylor anderson jackson harris thompson
robinson clark rodriguez lewis walker allen hernandez wright lopez scott adams baker nelson carter mitchell
roberts turner phillips campbell parker evans edwards collins stewart sanchez morris rogers reed cook morgan
murphy bailey rivera cooper richardson cox howard torres peterson gray ramirez watson brooks kelly
sanders bennett barnes ross henderson coleman jenkins perry powell patterson hughes flores
butler simmons foster gonzales bryant alexander russell griffin diaz hayes myers ford hamilton graham sullivan
wallace cole owens reynolds fisher ellis harrison gibson mcdonald marshall ortiz gomez
murray freeman wells webb simpson stevens tucker porter hunter hicks crawford boyd mason kennedy warren
dixon burns gordon shaw holmes robertson hunt daniels palmer nichols knight ferguson
hawkins dunn perkins hudson spencer gardner stephens payne pierce berry matthews arnold wagner willis
watkins olson carroll duncan snyder hart cunningham bradley andrews ruiz harper fox riley armstrong carpenter
weaver greene lawrence elliott chavez sims austin peters kelley franklin lawson ryan schmidt carr vasquez
castillo wheeler chapman oliver montgomery richards williamson johnston meyer bishop mccoy howell alvarez
morrison hansen fernandez garza harvey burton stanley nguyen jacobs reid fuller lynch dean gilbert
garrett romero welch larson frazier burke hanson mendoza moreno bowman medina fowler brewer hoffman carlson
silva pearson holland douglas fleming jensen vargas byrd davidson hopkins terry herrera wade soto walters
curtis neal caldwell lowe jennings barnett graves jimenez horton shelton barrett obrien castro sutton gregory
mckinney miles craig rodriquez chambers holt lambert fletcher watts bates hale rhodes pena beck newman
haynes mcdaniel mendez bush vaughn parks dawson norris hardy steele curry powers schultz barker
guzman munoz keller chandler weber leonard walsh lyons ramsey wolfe schneider mullins benson sharp
bowen daniel barber cummings hines baldwin griffith valdez hubbard salazar reeves warner stevenson burgess
santos tate cross garner mann mack moss thornton mcgee farmer delgado aguilar vega glover manning cohen
harmon rodgers robbins newton todd blair higgins ingram reese cannon strickland townsend potter goodwin walton
rowe hampton ortega patton swanson francis goodman maldonado yates becker erickson hodges rios conner
adkins webster norman malone hammond flowers cobb moody quinn blake maxwell pope floyd osborne mccarthy
guerrero lindsey estrada sandoval gibbs tyler gross fitzgerald stokes doyle sherman saunders colon gill
alvarado greer padilla waters nunez ballard schwartz mcbride christensen klein pratt briggs
parsons mclaughlin zimmerman buchanan moran copeland roy pittman brady mccormick holloway brock poole
logan owen bass marsh drake wong jefferson morton abbott sparks norton huff clayton massey
lloyd figueroa carson bowers roberson barton tran lamb harrington casey boone cortez clarke mathis singleton
wilkins cain bryan underwood hogan mckenzie collier luna phelps mcguire allison bridges wilkerson nash
atkins wilcox pitts conley marquez burnett cochran chase davenport gates clay ayala sawyer
vazquez dickerson hodge acosta flynn espinoza nicholson monroe wolf morrow kirk randall whitaker oconnor
skinner ware molina kirby huffman bradford gilmore dominguez oneal lang combs kramer heath hancock
gallagher gaines shaffer wiggins mathews mcclain fischer wall melton hensley bond dyer cameron
grimes contreras wyatt baxter mosley shepherd larsen hoover beasley glenn petersen whitehead meyers
keith garrison shields horn savage olsen schroeder hartman woodard mueller kemp deleon booth patel calhoun
wiley eaton cline navarro harrell lester humphrey parrish duran hutchinson hess dorsey bullock robles beard dalton
avila vance rich blackwell johns blankenship trevino salinas campos pruitt moses callahan montoya
hardin guerra mcdowell carey stafford gallegos henson wilkinson booker merritt miranda atkinson orr decker hobbs
preston tanner knox pacheco stephenson glass rojas serrano marks hickman sweeney prince mcclure
conway walter roth maynard farrell lowery hurst nixon weiss trujillo ellison sloan juarez mclean randolph
boyer villarreal mccall gentry carrillo kent ayers lara shannon sexton pace hull leblanc browning velasquez
leach chang sellers herring noble foley bartlett mercado landry durham walls barr mckee bauer
everett bradshaw pugh velez rush estes dodson morse sheppard weeks camacho bean barron livingston middleton
spears blevins chen kerr mcconnell hatfield harding ashley solis herman giles blackburn
pennington woodward finley mcintosh koch solomon mccullough dudley nolan blanchard rivas brennan mejia kane
benton joyce buckley haley valentine maddox russo mcknight buck mcmillan crosby berg dotson mays roach
chan richmond meadows faulkner oneill knapp kline barry ochoa jacobson avery hendricks horne shepard
hebert cherry cardenas mcintyre whitney waller holman donaldson cantu terrell morin gillespie fuentes tillman
sanford bentley peck salas rollins gamble dickson cabrera cervantes howe hinton hurley spence
zamora yang mcneil suarez petty gould mcfarland sampson carver bray rosario macdonald stout hester melendez
dillon farley hopper galloway potts bernard joyner stein aguirre osborn mercer bender franco rowland sykes
travis pickett crane sears mayo dunlap hayden wilder mckay coffey mccarty ewing cooley vaughan bonner cotton
holder stark ferrell cantrell fulton lynn lott calderon rosa pollard hooper burch mullen fry riddle levy
duke odonnell britt frederick daugherty berger dillard alston jarvis frye riggs chaney odom duffy
fitzpatrick valenzuela merrill mayer alford mcpherson acevedo donovan barrera cote reilly compton raymond
mooney mcgowan craft cleveland clemons wynn nielsen baird stanton snider rosales bright witt stuart hays holden
rutledge kinney clements castaneda slater hahn emerson conrad burks delaney pate lancaster tyson
sharpe whitfield talley macias irwin burris ratliff mccray madden kaufman beach goff bolton mcfadden levine
byers kirkland kidd workman carney dale mcleod holcomb england finch burt hendrix sosa haney franks
sargent nieves downs rasmussen hewitt lindsay foreman valencia oneil delacruz vinson dejesus hyde forbes
gilliam guthrie wooten huber barlow boyle mcmahon buckner rocha puckett langley knowles cooke velazquez whitley
noel vang shah pandya sharma singh kumar gupta verma mehta desai joshi reddy rao iyer nair menon pillai chopra
kapoor malhotra khanna bose banerjee chatterjee mukherjee dutta ghosh chowdhury khan ahmed hussain
rahman akhtar qureshi siddiqui chaudhry butt malik sheikh mirza
muller mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann schafer koch bauer richter
klein wolf schroder neumann schwarz zimmermann braun kruger hofmann hartmann lange schmitt werner schmitz krause
meier lehmann schmid schulze maier kohler herrmann konig walter mayer huber kaiser fuchs peters lang scholz
moller weiss jung hahn schubert vogel friedrich keller gunther berger winkler roth beck lorenz baumann
franke albrecht schuster ludwig bohm kraus schumacher kramer vogt stein jager sommer
gross seidel heinrich brandt haas schreiber graf schulte dietrich ziegler kuhn kuhl pohl engel horn busch
bergmann voigt sauer arnold wolff pfeiffer
bernard dubois robert petit durand leroy moreau laurent lefebvre michel garcia
bertrand roux fournier morel girard andre lefevre mercier dupont lambert bonnet francois martinez legrand
garnier faure rousseau blanc guerin muller roussel perrin morin mathieu clement gauthier dumont
lopez fontaine chevalier robin masson sanchez gerard nguyen boyer denis lemaire duval joly gautier roger roche
roy noel meyer meunier perez marchand dufour blanchard barbier brun dumas brunet schmitt leroux
colin fernandez renard arnaud rolland caron aubert giraud leclerc vidal bourgeois renaud lemoine picard
gaillard leclercq lacroix fabre dupuis rodriguez da silva hubert guillot riviere
gall guillaume rey moulin gonzalez berger lecomte menard fleury deschamps carpentier benoit
maillard marchal aubry vasseur roux renault jacquet collet prevost poirier charpentier royer huet baron dupuy
pons ndiaye diop diallo ba sow fall sy faye cisse toure traore kone coulibaly keita camara sylla sangare
diarra sissoko konate ouedraogo sawadogo kabore
garcia gonzalez rodriguez fernandez lopez martinez sanchez perez gomez jimenez ruiz hernandez diaz moreno
munoz alvarez romero alonso gutierrez navarro torres dominguez vazquez ramos gil ramirez serrano blanco molina
morales suarez ortega delgado castro ortiz rubio marin sanz nunez iglesias medina garrido cortes castillo santos
lozano guerrero cano prieto mendez calvo gallego vidal marquez herrera pena flores cabrera campos vega
fuentes carrasco diez caballero nieto aguilar pascual herrero lorenzo montero hidalgo gimenez
ibanez ferrer duran benitez mora vicente vargas arias carmona crespo pastor soto saez velasco
moya soler parra esteban bravo gallardo rojas silva souza oliveira pereira costa carvalho almeida ferreira
ribeiro rodrigues alves lima gomes martins araujo barbosa rocha dias nascimento cardoso teixeira
rossi russo ferrari esposito bianchi romano colombo ricci marino greco bruno gallo conti de luca mancini costa
giordano rizzo lombardi moretti barbieri fontana santoro mariani rinaldi caruso ferrara galli martini leone
longo gentile martinelli vitale lombardo serra coppola de santis d'angelo marchetti parisi villa conte ferraro
ivanov smirnov kuznetsov popov vasiliev petrov sokolov mikhailov novikov fedorov morozov volkov alekseev lebedev
semenov egorov pavlov kozlov stepanov nikolaev orlov andreev makarov nikitin zakharov melnyk shevchenko
boyko kovalenko bondarenko tkachenko kovalchuk kravchenko oliynyk shevchuk koval polishchuk
nowak kowalski wisniewski wojcik kowalczyk kaminski lewandowski zielinski szymanski wozniak dabrowski
yilmaz kaya demir sahin celik yildiz yildirim ozturk aydin ozdemir arslan dogan kilic aslan cetin kara koc
kurt ozkan simsek polat erdogan
kim lee choi jung kang cho yoon jang lim han oh seo shin kwon hwang ahn song jeon hong
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao
sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato yoshida yamada sasaki yamaguchi
matsumoto inoue kimura hayashi shimizu yamazaki mori abe ikeda hashimoto ishikawa
okafor okonkwo adeyemi adebayo okeke eze nwosu obi mensah boateng owusu asante osei kamau otieno mwangi
ochieng njoroge kariuki wanjiru moyo ndlovu dlamini nkosi khumalo zulu mokoena mahlangu
cohen levi mizrahi peretz biton friedman
`
