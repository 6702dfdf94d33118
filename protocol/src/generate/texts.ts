import type { Random } from './random.js';

/**
 * The words of the generated mail: names, places and a phrase bank in the four
 * languages a Lokole in DR Congo carries (French, Lingala, Swahili, English).
 * Sentences are templates with slots (`{first}`, `{place}`, `{amount}`…) so
 * that a thousand emails do not repeat the same strings verbatim, which would
 * make them compress far better than real mail does.
 */

export type Language = 'fr' | 'ln' | 'sw' | 'en';

export const FIRST_NAMES = [
  'Jean-Pierre',
  'Marie-Claire',
  'Patrick',
  'Grâce',
  'Bienvenu',
  'Dieudonné',
  'Espérance',
  'Fiston',
  'Gloire',
  'Merveille',
  'Christelle',
  'Jolie',
  'Papy',
  'Trésor',
  'Blaise',
  'Nadège',
  'Aimé',
  'Béatrice',
  'Cédric',
  'Clarisse',
  'Didier',
  'Élodie',
  'Fabrice',
  'Ginette',
  'Héritier',
  'Irène',
  'Josué',
  'Laetitia',
  'Mireille',
  'Nathalie',
  'Olivier',
  'Prince',
  'Rachel',
  'Sylvie',
  'Yannick',
  'Zawadi',
  'Amani',
  'Baraka',
  'Furaha',
  'Neema',
  'Imani',
  'Rehema',
  'Chance',
  'Divine',
  'Exaucé',
  'Junior',
  'Gracia',
  'Plamedi',
  'Naomie',
  'Benjamin',
  'Joël',
  'Arsène',
  'Rosette',
  'Thérèse',
  'Mamie',
  'Ruth',
  'Désiré',
  'Guylain',
  'Jonathan',
  'Sarah',
  'Esther',
  'Ange',
  'Fidèle',
  'Rodrigue',
  'Hélène',
  'Anne-Marie',
  'Célestin',
  'Moïse',
  'Sifa',
  'Ana',
  'Christian',
  'Pascaline',
  'Serge',
  'Victorine',
  'Emmanuel',
  'Judith',
  'Alain',
  'Francine',
] as const;

export const LAST_NAMES = [
  'Mukendi',
  'Mbuyi',
  'Kalala',
  'Ilunga',
  'Tshibanda',
  'Kasongo',
  'Mwamba',
  'Nzuzi',
  'Lukusa',
  'Kabamba',
  'Mulumba',
  'Ngoy',
  'Banza',
  'Kapinga',
  'Mputu',
  'Makiese',
  'Nsimba',
  'Luzolo',
  'Matondo',
  'Bokungu',
  'Lokwa',
  'Bolamba',
  'Elonga',
  'Mbala',
  'Kiala',
  'Mavinga',
  'Katembo',
  'Kahindo',
  'Masika',
  'Kavira',
  'Paluku',
  'Muhindo',
  'Bahati',
  'Mapendo',
  'Kambale',
  'Mutombo',
  'Tshimanga',
  'Kabongo',
  'Ntumba',
  'Kanku',
  'Mbombo',
  'Nkulu',
  'Mayala',
  'Lusamba',
  'Bisimwa',
  'Cirhuza',
  'Mugisho',
  'Balagizi',
  'Bulambo',
  'Ekofo',
  'Lombe',
  'Mokili',
  'Nkoy',
  'Ndombe',
  'Ebengo',
  'Likofo',
  'Wembo',
  'Omari',
  'Amisi',
  'Ramazani',
  'Selemani',
] as const;

export const CITIES = [
  'Kinshasa',
  'Matadi',
  'Boma',
  'Muanda',
  'Kikwit',
  'Bandundu',
  'Mbandaka',
  'Kisangani',
  'Goma',
  'Bukavu',
  'Uvira',
  'Butembo',
  'Beni',
  'Bunia',
  'Lubumbashi',
  'Likasi',
  'Kolwezi',
  'Kananga',
  'Mbuji-Mayi',
  'Kindu',
  'Kalemie',
  'Gemena',
  'Gbadolite',
  'Isiro',
  'Tshikapa',
  'Kenge',
  'Inongo',
  'Lisala',
  'Kamina',
  'Idiofa',
] as const;

const COMMUNES = [
  'Gombe',
  'Limete',
  'Lingwala',
  'Kintambo',
  'Ngaliema',
  'Bandalungwa',
  'Kalamu',
  'Matete',
  'Masina',
  'Ndjili',
  'Kasa-Vubu',
  'Lemba',
  'Bumbu',
  'Selembao',
  'Kimbanseke',
  'Barumbu',
  'Ngiri-Ngiri',
  'Makala',
  'Kisenso',
  'Mont-Ngafula',
] as const;

const MARKETS = ['Zando', 'Gambela', 'la Liberté', 'Matete', 'Bandal', 'Somba Zikida', 'Lemba Terminus'];
const AVENUES = [
  'Kimwenza',
  'Bongolo',
  'des Écoles',
  'Tombalbaye',
  'Kianza',
  'de la Paix',
  'Mbuji-Mayi',
  'Luambo',
  'Kasa-Vubu',
  'du Marché',
  'Bandundu',
  'Sendwe',
];
const RIVERS = ['Ndjili', 'Kalamu', 'Funa', 'Lukunga', 'Makelele', 'Bumbu'];
export const ORGANISATIONS = [
  'ONG Mwinda',
  'Complexe scolaire La Colombe',
  'Centre de santé Bondeko',
  'Coopérative Tosalisana',
  'Paroisse Saint-Joseph',
  'Radio communautaire Elikya',
  'Association des femmes maraîchères de Kimwenza',
  'Mutuelle de santé Bomoyi',
];

const DAYS: Record<Language, readonly string[]> = {
  fr: ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'],
  en: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  ln: [
    'mokolo ya yambo',
    'mokolo ya mibale',
    'mokolo ya misato',
    'mokolo ya minei',
    'mokolo ya mitano',
    'mokolo ya mposo',
    'eyenga',
  ],
  sw: ['Jumatatu', 'Jumanne', 'Jumatano', 'Alhamisi', 'Ijumaa', 'Jumamosi', 'Jumapili'],
};

const FRENCH_MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

/** Month names by language: one list, used by texts, documents and mail headers. */
export const MONTHS: Record<Language, readonly string[]> = {
  fr: FRENCH_MONTHS,
  en: [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ],
  // Kinshasa writes its months in French, whatever the language of the sentence.
  ln: FRENCH_MONTHS,
  sw: [
    'Januari',
    'Februari',
    'Machi',
    'Aprili',
    'Mei',
    'Juni',
    'Julai',
    'Agosti',
    'Septemba',
    'Oktoba',
    'Novemba',
    'Desemba',
  ],
};

const TIMES: Record<Language, readonly string[]> = {
  fr: ['8 h', '8 h 30', '9 h', '10 h', '11 h 30', '14 h', '15 h', '16 h 30', '18 h', '19 h'],
  en: ['8:30 am', '9 am', '10:30 am', '11 am', '2 pm', '3:30 pm', '4 pm', '6 pm'],
  ln: [
    'ngonga ya 8',
    'ngonga ya 9',
    'ngonga ya 10',
    'ngonga ya 2 ya nsima ya midi',
    'ngonga ya 4',
    'ngonga ya 6 ya mpokwa',
  ],
  sw: [
    'saa mbili asubuhi',
    'saa tatu asubuhi',
    'saa nne asubuhi',
    'saa nane mchana',
    'saa kumi jioni',
    'saa mbili usiku',
  ],
};

/** Sentence templates, by language. Slots are filled by `fillTemplate`. */
const SENTENCES: Record<Language, readonly string[]> = {
  fr: [
    '[Je te confirme|Je vous confirme|Juste pour confirmer] que la réunion [aura lieu|se tiendra|est prévue] {day} à {time} [au bureau de|à la salle paroissiale de|au centre communautaire de] {commune}.',
    "Merci pour ton message, je l'ai bien reçu [hier soir|ce matin|tout à l'heure|seulement aujourd'hui].",
    "Le courant a été coupé [toute la journée|depuis hier|pendant trois jours] à {commune}, c'est pourquoi je n'ai pas pu répondre plus tôt.",
    "[Peux-tu|Pourrais-tu|Merci de] m'envoyer la liste des [participants|membres présents|bénéficiaires] avant {day}[ ?|.| stp.]",
    "Les frais scolaires du [premier|deuxième|troisième] trimestre s'élèvent à {amount} par enfant.",
    "Nous avons reçu les fournitures pour l'école de {place}, il manque seulement [les cahiers|les craies|les manuels de français|les bics].",
    'La route entre {place} et {place2} est encore coupée à cause des [pluies|éboulements|travaux].',
    "[Maman va mieux, elle est sortie|Papa va mieux, il est sorti|Ma tante va mieux, elle est sortie|Grand-père va mieux, il est sorti] de l'hôpital {day} [matin|soir].",
    "N'oublie pas d'apporter ta carte d'électeur [pour l'inscription|au bureau de la commune|pour retirer l'argent].",
    "Le rapport d'activités du mois de {month} est presque terminé ; il me reste à ajouter les chiffres de {place}.",
    'Je serai à {place} du {n1} au {n2} {month} pour la formation des [enseignants|animateurs|infirmiers|agents de santé].',
    'Nous avons payé la facture de {amount} à la [REGIDESO|SNEL], voici la référence : {ref}.',
    "La SNEL annonce des délestages dans tout le quartier jusqu'à [la fin du mois|nouvel ordre|{day} prochain].",
    'Le prix du [sac de farine de manioc|sac de riz|bidon d’huile|sac de ciment] est passé à {amount} au marché {market}.',
    "Je t'appelle ce soir vers {time}, si le réseau le permet.",
    'Est-ce que tu as pu parler avec {name} au sujet [du terrain|de la parcelle|du contrat|de la dot] ?',
    'Le mariage coutumier de {first} est prévu pour le samedi {n1} {month} à {commune}.',
    'Toute la famille te salue et te souhaite [une bonne santé|bon courage|une bonne fin de semaine].',
    'Nous prions pour toi et pour ton voyage.',
    'Les résultats de l’Exetat seront publiés [la semaine prochaine|avant la fin du mois|{day}], selon le ministère.',
    'Mon [fils|neveu|petit frère] a réussi avec {pct} %, nous sommes très fiers de lui.',
    'Ma fille a obtenu {pct} % à l’Exetat, toute la famille est en fête.',
    'Je vous transmets [le procès-verbal|le compte rendu|les notes] de la dernière réunion.',
    "Merci de relire le document et de me faire part de vos remarques d'ici {day}.",
    'La formation en [informatique|couture|comptabilité|gestion de projets] commence lundi prochain au centre communautaire de {commune}.',
    'Il y a {n} inscrits, surtout des [jeunes|femmes|élèves] du quartier.',
    'Le groupe électrogène est tombé en panne, il faut acheter [une nouvelle pièce|un nouveau démarreur|une batterie].',
    'Le technicien dit que la réparation coûtera environ {amount}.',
    'Pouvez-vous confirmer votre présence avant [la fin de la semaine|{day}|demain midi] ?',
    'Le bateau pour [Mbandaka|Kisangani|Bandundu|Lisala] partira {day} si le niveau du fleuve le permet.',
    "J'ai déposé le dossier à la commune, ils demandent encore [une photocopie de la carte d'identité|deux photos passeport|un extrait d'acte de naissance].",
    'Le pasteur a annoncé une veillée de prière pour [vendredi|samedi] soir.',
    'Nous avons commencé la récolte [du manioc|du maïs|des arachides|des haricots] à {place}, elle s’annonce bonne cette année.',
    'Les chenilles sont arrivées au marché {market}, elles coûtent cher en ce moment.',
    'Le taxi-bus de {commune} à Gombe coûte maintenant {amount}.',
    "Je n'ai pas encore reçu le virement, peux-tu vérifier auprès de la [banque|Rawbank|coopérative] ?",
    "L'argent a été envoyé par [M-Pesa|Airtel Money|Orange Money] ce matin, le code de retrait est {ref}.",
    'Le centre de santé de {place} manque de [médicaments contre le paludisme|tests rapides|vaccins|gants].',
    'Nous organisons une campagne de vaccination du {n1} au {n2} {month}.',
    "Les enfants de moins de cinq ans doivent être accompagnés d'un parent.",
    'Je vous remercie pour votre soutien pendant cette période difficile.',
    'Nous vous présentons nos sincères condoléances pour la perte de votre [père|mère|oncle|grand-père].',
    'Le deuil se tiendra au domicile familial, avenue {avenue} n° {n}, à {commune}.',
    'La levée du corps est prévue [samedi|vendredi] à {time} à la morgue de [l’hôpital général|Kintambo|Mama Yemo].',
    "J'ai besoin de ton avis avant de signer le contrat avec {name}.",
    'Le propriétaire veut augmenter le loyer [à partir du mois prochain|de {amount}|dès janvier].',
    'Nous cherchons une salle pour {n} personnes dans la commune de {commune}.',
    'La connexion était trop lente pour envoyer les photos, je les mettrai dans le prochain message.',
    "Le bureau sera fermé le 30 juin pour la fête de l'indépendance.",
    'Je vous prie de trouver [ci-dessous|dans mon prochain message] ma lettre de motivation.',
    'Je suis disponible pour un entretien à tout moment [la semaine prochaine|à partir de {day}|ce mois-ci].',
    "J'ai terminé mon stage à {place} et je cherche maintenant un emploi stable.",
    "Est-ce que l'université a déjà publié le calendrier des examens ?",
    'Le professeur {last} a reporté le cours de [statistiques|droit civil|chimie organique|macroéconomie] à {day}.',
    "Les inscriptions à [l'UNIKIN|l'UPN|l'ISC|l'université de {place}] se terminent le {n1} {month}.",
    "La pluie d'hier a inondé plusieurs maisons près de la rivière {river}.",
    'Les embouteillages sur [le boulevard du 30 Juin|le boulevard Lumumba|l’avenue des Poids lourds] étaient terribles ce matin.',
    'Je suis resté bloqué [deux|trois|quatre] heures au rond-point Victoire.',
    "Le chantier de l'école avance bien, le toit sera posé [la semaine prochaine|avant la rentrée|{day}].",
    'Nous avons besoin de {n} sacs de ciment supplémentaires.',
    "Les tôles sont moins chères à {place} qu'à Kinshasa.",
    'Mon téléphone est tombé en panne, écris-moi plutôt par courriel.',
    'Voici mon nouveau numéro : {phone}.',
    'Il faut recharger le crédit de la clé internet avant la synchronisation de demain.',
    "Le comité a décidé de tenir l'assemblée générale le {n1} {month}.",
    'Chaque membre doit verser une cotisation de {amount} avant la fin du mois.',
    'La tontine de ce mois revient à {first}, comme prévu.',
    'Nous avons vendu {n} [poulets|sacs de braise|régimes de bananes|bidons d’huile de palme] au marché {market} cette semaine.',
    "Le camion de {place} n'est pas encore arrivé, il est bloqué [au poste de péage|à la frontière|dans la boue à {place2}].",
    'Les élèves de sixième passeront le TENAFEP le mois prochain.',
    "Je t'envoie les photos de la cérémonie dès que j'ai une bonne connexion.",
    'Le match des Léopards a mis tout le quartier en fête hier soir.',
    'Mon oncle de {place} arrive à Kinshasa par avion {day}.',
    "Quelqu'un peut-il aller le chercher à l'aéroport de Ndjili ?",
    'Le vol pour {place} a été retardé de [deux|quatre|six] heures.',
    "Merci de ne pas oublier la réunion des parents d'élèves samedi à {time}.",
    'Le directeur souhaite rencontrer tous les enseignants avant la rentrée.',
    "Je suis désolé pour le retard de ma réponse, j'étais en mission à {place}.",
    'La mission s’est bien passée, malgré les difficultés sur la route.',
    'Nous avons rencontré les chefs de quartier et le bourgmestre de {commune}.',
    'Ils ont accepté de mettre un terrain à la disposition du projet.',
    'Le budget prévisionnel est de {amount} pour [les six premiers mois|les trois prochains mois|la première année].',
    "Pouvez-vous m'envoyer une copie signée de la convention ?",
    'Le cachet de la division provinciale est encore nécessaire.',
    'Je te souhaite un joyeux anniversaire, que Dieu te bénisse abondamment !',
    "Félicitations pour ton diplôme, c'est une belle réussite.",
    'On se retrouve chez {first} après le culte de dimanche.',
    'Il fait très chaud à {place} en ce moment, plus de [30|32|35|37] degrés à l’ombre.',
    'Le lac Kivu était calme, la traversée de Goma à Bukavu s’est bien passée.',
    'Les prix du carburant ont encore augmenté, le litre est à {amount}.',
    "Nous devons renouveler l'abonnement du bureau avant le {n1} {month}.",
    "J'ai parlé au médecin, il recommande du repos pendant [une semaine|dix jours|deux semaines].",
    "Le devis du menuisier pour les bancs de l'église est de {amount}.",
    'Prière de garder ce message confidentiel.',
    "Je reviens vers vous dès que j'ai plus d'informations.",
    "Dis à {first} que je n'ai pas oublié sa commande.",
    'La commande de pagnes wax est arrivée de {place}.',
    'Le colis a été remis à [la compagnie de transport|l’agence Trans-Congo|un chauffeur de confiance], il arrivera dans [deux|trois|cinq] jours.',
    'Nous avons distribué {n} moustiquaires aux familles de {commune}.',
    'Le puits du quartier est de nouveau en service depuis {day}.',
    'Merci de transmettre ce message à tous les membres du groupe.',
    'La femme de {first} a accouché d’[un garçon|une fille|des jumeaux] {day} à la maternité de {commune}, la mère et l’enfant se portent bien.',
    'Le dossier de bourse doit être déposé au plus tard le {n1} {month} au secrétariat de la faculté.',
    'Nous avons enregistré {n} nouveaux membres depuis la dernière assemblée.',
    'Le cours de rattrapage aura lieu dans la salle {n} du bâtiment administratif.',
    'Il y a eu une coupure d’eau à {commune}, les gens achètent le bidon de vingt litres à {amount}.',
  ],
  en: [
    'Thanks for your email, I received the documents yesterday.',
    'The workshop in {place} has been moved to {day} because of the heavy rain.',
    'Could you please send me the updated budget before {day}?',
    'I will be travelling to {place} next week for the field visit.',
    'The internet connection here is very slow, so I could not reply earlier.',
    'Please find the minutes of our last meeting below.',
    'Let me know if you need anything else from my side.',
    'We are happy to confirm your scholarship for the next academic year.',
    'Your visa appointment is scheduled for {month} {n1} at {time}.',
    'Please bring your passport, two photos and the invitation letter.',
    'The shipment of solar panels has cleared customs in Matadi.',
    'Our team will install the panels at the health centre in {place}.',
    'The clinic in {place} reported {n} new cases of malaria this week.',
    'We need the signed receipts for all expenses above {usd}.',
    'I hope you and your family are doing well.',
    'Happy birthday! I wish you a wonderful year ahead.',
    'The conference call is at {time} Kinshasa time, which is one hour later in Goma.',
    'Sorry for the late reply, I was offline for a few days.',
    'The report looks good overall, I only have a few small comments.',
    'Could you check the figures in the second table? They do not add up.',
    'We have transferred {usd} to the project account this morning.',
    'The training on data collection went very well, with {n} participants.',
    'Several participants asked for a follow-up session in {month}.',
    'I have shared the folder with you, but you may need to download it when the connection is better.',
    'The school in {commune} needs about {n} new desks and a blackboard.',
    'We are still waiting for the permit from the provincial office.',
    'The road to {place} was in bad condition, so the trip took eleven hours.',
    'Please remind everyone that the deadline for applications is {month} {n1}.',
    'I am writing to follow up on our conversation last {day}.',
    'Kind regards to the whole team in {place}.',
    'The generator is working again after the repair.',
    'We would like to invite you to present your work at our seminar.',
    'All travel costs will be covered by the organisers.',
    'My flight lands in Kinshasa on {day} evening.',
    'Can someone meet me at the airport?',
    'The price of the laptop is {usd}, including delivery to Kinshasa.',
    'I can send the money through Western Union or M-Pesa, whichever is easier for you.',
    'The children loved the books you sent, thank you so much.',
    'Our church group in Brussels is collecting clothes for the orphanage in {commune}.',
    "We will pray for your mother's recovery.",
    'Congratulations on your new job!',
    'The next distribution of seeds will take place in {place} on {day}.',
    'Please confirm the number of households in each village.',
    'The audit is planned for the end of {month}.',
    'Do not hesitate to contact me if anything is unclear.',
    '{name} will coordinate the logistics while I am away.',
    'The new water pump in {place} serves about {n} families.',
  ],
  ln: [
    'Mbote na yo, ozali malamu?',
    'Nazali malamu, matondo mingi mpo na mesaje na yo.',
    'Tokutana lobi na ntongo na biro ya {commune}.',
    'Nakoya kotala yo na mpokwa soki Nzambe alingi.',
    'Mama azali kobela, tozali na ye na lopitalo ya {commune}.',
    'Bana bazali malamu, bakei na kelasi lelo.',
    'Mbula ebetaki makasi butu mobimba na {commune}.',
    'Nzela ya {place} ebebi mingi, mituka ekoki koleka te.',
    'Nasengi yo otindela ngai mokanda yango liboso ya {day}.',
    'Obosana te likita ya {day} na {time}.',
    'Courant ekatami banda lobi, yango wana nazongisaki eyano noki te.',
    'Ntalo ya loso emati na zando ya {market}.',
    'Natindeli yo mbongo {amount} na M-Pesa.',
    'Yebisa ngai soki ozwi yango.',
    'Libota mobimba epesi yo mbote.',
    'Nzambe apambola yo mpe abatela yo na mobembo.',
    'Tozali kozela yo na esengo monene.',
    'Ndeko na ngai {first} akobala na {day}.',
    'Bakonzi ya quartier basengi ete tosala lisanga na eyenga.',
    'Mosala ezali mingi lelo, nakozonga na ndako na butu.',
    'Okoki kosunga ngai na likambo ya lopango?',
    'Nalingi koyeba soki kelasi ekofungwama na mokolo ya yambo.',
    'Tata alobi ete tokende na mboka na poso oyo ekoya.',
    'Matondo mingi mpo na lisalisi na yo.',
    'Tokomonana na losambo ya eyenga.',
    'Telefone na ngai ebebi, komela ngai awa na Lokole.',
    'Nakozela eyano na yo noki.',
    'Ba documents nyonso ezali malamu, kaka signature ya {name} ezangi.',
    'Mwana na ngai alongi ekzame na ye, tozali na esengo mingi!',
    'Tosengeli kofuta mbongo ya kelasi liboso ya suka ya sanza.',
    'Likelemba ya sanza oyo ezali ya {first}.',
    'Bato mingi bayaki na matanga ya koko na {commune}.',
    'Nazali koluka mosala, soki oyoki eloko yebisa ngai.',
    'Fête ekosalema na ndako ya {first} na {commune}.',
    'Pondu na mbisi ezali pene, boya kolia!',
    'Bato ya Kinshasa bazali na mpasi mingi na ba embouteillages.',
    'Ozali na nsango ya {first}? Azongisaka eyano lisusu te.',
    'Motuka ekomi, tokokende sikoyo.',
    'Nabosanaki te, nakotinda yango lelo na mpokwa.',
    'Bolingo na ngai mpo na bino banso.',
    'Mai ezali te na {commune} banda mikolo misato.',
    'Tozwi ba cahiers {n} mpo na bana ya eteyelo.',
  ],
  sw: [
    'Habari yako? Natumaini uko salama.',
    'Mimi niko salama, asante kwa ujumbe wako.',
    'Mkutano utafanyika siku ya {day} {time}.',
    'Mvua imenyesha sana leo hapa {place}.',
    'Barabara ya {place} imeharibika kabisa.',
    'Tafadhali nitumie ripoti kabla ya {day}.',
    'Watoto wanaendelea vizuri shuleni.',
    'Mama anakusalimia sana.',
    'Nimefika salama {place} jana jioni.',
    'Bei ya unga wa muhogo imepanda sokoni.',
    'Umeme umekatika tangu jana, ndiyo sababu sikujibu mapema.',
    'Nitakupigia simu jioni kama mtandao utakuwa mzuri.',
    'Nimekutumia pesa {amount} kwa M-Pesa.',
    'Uniambie kama umezipokea.',
    'Mungu akubariki na akulinde safarini.',
    'Pole sana kwa msiba uliowapata.',
    'Mazishi yatafanyika siku ya {day} kijijini.',
    'Karibu sana nyumbani wakati wowote.',
    'Asante sana kwa msaada wako.',
    'Kazi inaendelea vizuri, tumemaliza sehemu ya kwanza.',
    'Tunahitaji pesa ya mafuta kwa gari la mradi.',
    'Kituo cha afya cha {place} hakina dawa za kutosha.',
    'Wanafunzi {n} wamejiandikisha kwa mafunzo ya kompyuta.',
    'Boti ya Goma kwenda Bukavu imeondoka saa mbili asubuhi.',
    'Ziwa Kivu lilikuwa tulivu leo.',
    'Tutaonana kesho kanisani.',
    'Mtoto wangu amefaulu mtihani wa taifa!',
    'Hongera sana kwa kazi yako mpya.',
    'Shamba la maharagwe limeanza kuzaa vizuri mwaka huu.',
    'Tumeuza magunia {n} ya kahawa wiki hii.',
    'Ninakutumia orodha ya washiriki katika ujumbe unaofuata.',
    'Samahani kwa kuchelewa kujibu.',
    'Tafadhali thibitisha kama utahudhuria.',
    'Ada ya shule ni {amount} kwa kila mtoto.',
    'Hali ya barabara karibu na {place} imeboreka kidogo.',
    'Mchungaji ametangaza maombi ya usiku siku ya Ijumaa.',
    'Ninaomba unisaidie kupata nakala ya cheti changu.',
    'Simu yangu imeharibika, niandikie hapa.',
    'Baba anasema tutasafiri kwenda kijijini mwezi ujao.',
    'Salamu nyingi kwa familia yote.',
    '{name} atakuja {place} mwezi wa {month}.',
    'Mkutano wa wazazi utakuwa tarehe {n1} {month}.',
  ],
};

export const GREETINGS: Record<Language, readonly string[]> = {
  fr: [
    'Bonjour {to},',
    'Bonsoir {to},',
    'Salut {to},',
    'Bonjour à tous,',
    'Madame, Monsieur,',
    'Bonjour {to}, j’espère que tu vas bien.',
  ],
  en: ['Hi {to},', 'Dear {to},', 'Hello everyone,', 'Good morning {to},', 'Hello {to},'],
  ln: ['Mbote {to},', 'Ndeko {to}, mbote,', 'Mbote na bino banso,', 'Mbote mingi {to},'],
  sw: ['Habari {to},', 'Ndugu {to},', 'Salamu {to},', 'Jambo {to},', 'Habari za asubuhi {to},'],
};

export const CLOSINGS: Record<Language, readonly string[]> = {
  fr: [
    'Cordialement,',
    'Bien à vous,',
    'Bien cordialement,',
    "Merci d'avance,",
    'Amitiés,',
    'Bisous,',
    'Que Dieu te bénisse,',
    'À bientôt,',
    'Fraternellement,',
  ],
  en: ['Best regards,', 'Kind regards,', 'Thanks,', 'Best,', 'Cheers,', 'Blessings,'],
  ln: ['Matondo,', 'Tokomonana,', 'Nzambe apambola,', 'Bolingo,'],
  sw: ['Asante,', 'Wako,', 'Kwa heri,', 'Salamu,', 'Wako mwaminifu,'],
};

export const JOB_TITLES = [
  'Coordinateur de projet',
  'Directrice d’école',
  'Infirmier titulaire',
  'Comptable',
  'Pasteur',
  'Secrétaire du comité',
  'Étudiant en troisième graduat',
  'Responsable logistique',
  'Animatrice communautaire',
  'Chargé de suivi et évaluation',
  'Préfet des études',
];

/** Client footers that real mail carries, sometimes. */
export const FOOTERS = [
  'Envoyé de mon iPhone',
  'Envoyé depuis mon smartphone Samsung Galaxy',
  'Sent from Yahoo Mail on Android',
  'Sent from my iPhone',
  'Envoyé depuis Lokole, le courriel de la communauté',
];

export const SUBJECTS: Record<Language, readonly string[]> = {
  fr: [
    'Réunion de {day}',
    "Rapport d'activités – {month} 2026",
    'Frais scolaires',
    'Compte rendu de la réunion du {n1} {month}',
    'Invitation au mariage de {first}',
    'Demande de congé',
    'Facture n° {ref}',
    'Nouvelles de {place}',
    'Programme de la semaine',
    'Résultats des examens',
    'Formation informatique',
    'Question sur le paiement',
    'Condoléances',
    'Convocation : assemblée générale',
    'Devis pour les travaux',
    'Urgent : documents à signer',
    'Voyage à {place}',
    'Cotisation du mois',
    'Bonne nouvelle !',
    'Salutations',
    'Rappel',
    'Problème de connexion',
    'Budget 2027',
    'Campagne de vaccination',
    'Liste des participants',
    'Anniversaire de {first}',
    'Mission à {place}',
    'Loyer',
    'Chantier de l’école',
    'Inscription à l’université',
  ],
  en: [
    'Meeting notes',
    'Field visit to {place}',
    'Scholarship application',
    'Visa appointment',
    'Budget revision',
    'Invitation to the seminar',
    'Quick question',
    'Shipment update',
    'Monthly report',
    'Happy birthday!',
    'Travel plans',
    'Receipts for {month}',
    'Follow-up',
    'Training in {place}',
  ],
  ln: [
    'Mbote',
    'Nsango ya libota',
    'Likita ya lobi',
    'Mbongo ya kelasi',
    'Libala ya {first}',
    'Matanga',
    'Mobembo ya {place}',
    'Mosala',
  ],
  sw: [
    'Habari za {place}',
    'Mkutano wa {day}',
    'Ripoti ya wiki',
    'Salamu',
    'Ada ya shule',
    'Msiba',
    'Safari ya {place}',
    'Mafunzo',
  ],
};

/** Newsletter section titles and the mailing lists that send them. */
export const NEWSLETTER_TITLES = [
  'Les nouvelles du projet',
  'Agenda du mois',
  'Santé communautaire',
  'Éducation',
  'Agriculture et marchés',
  'Témoignage',
  'Appel à candidatures',
  'Vie de la paroisse',
  'Formation numérique',
  'Chiffres clés',
];

/** The opening line of an email that carries an attachment, by kind. */
export const ATTACHMENT_INTROS: Record<
  'photo' | 'image' | 'screenshot' | 'pdf' | 'docx' | 'calendar' | 'contact',
  readonly string[]
> = {
  photo: [
    'Voici les photos de la cérémonie de {first}, comme promis.',
    'Je vous envoie les photos du chantier prises ce matin à {place}.',
    'Tala ba photos ya fête ya {first}, ezalaki kitoko mingi!',
    'Hizi ni picha za mkutano wa jana {place}.',
    'Here are the pictures from the distribution in {place}.',
  ],
  image: [
    'Regarde cette image que {first} a partagée dans le groupe.',
    'Tala foto oyo batindi na groupe ya libota.',
    'Angalia picha hii niliyopokea kwenye WhatsApp.',
  ],
  screenshot: [
    "Voici une capture d'écran du message d'erreur que je reçois.",
    "Je t'envoie la capture de la conversation pour que tu voies toi-même.",
    'Here is a screenshot of the error I get when I try to log in.',
  ],
  pdf: [
    'Veuillez trouver ci-joint le document en PDF.',
    'Je vous transmets en pièce jointe la circulaire reçue de la division provinciale.',
    'Please find the report attached as a PDF.',
    'Nakotindeli yo mokanda na PDF, tala yango malamu.',
    'Nimeambatisha ripoti kamili kwenye faili la PDF.',
  ],
  docx: [
    'Vous trouverez ci-joint le document Word ; merci de le compléter.',
    'Je vous prie de trouver ci-joint mon CV en format Word.',
    'Attached is the draft proposal in Word format, please add your comments.',
  ],
  calendar: [
    'Vous êtes invité à la réunion ci-dessous ; merci de confirmer votre présence.',
    'You are invited to the meeting below.',
  ],
  contact: [
    'Voici les coordonnées de {name}, elle peut t’aider pour le dossier.',
    'Hizi ndizo namba za {name}.',
  ],
};

export interface TemplateContext {
  language: Language;
  /** The first name used by `{to}` in greetings. */
  to?: string;
}

/** Replaces each `{slot}` of `template` with a random value that fits the language. */
export function fillTemplate(random: Random, template: string, context: TemplateContext): string {
  const { language } = context;
  const n1 = random.int(1, 21);
  // `[a|b|c]` picks one variant: many ways to say one thing keep sentences from repeating verbatim.
  const varied = template.replace(/\[([^\]]*)\]/g, (_match, options: string) =>
    random.pick(options.split('|')),
  );
  return varied.replace(/\{(\w+)\}/g, (_match, slot: string) => {
    switch (slot) {
      case 'to':
        return context.to ?? random.pick(FIRST_NAMES);
      case 'first':
        return random.pick(FIRST_NAMES);
      case 'last':
        return random.pick(LAST_NAMES);
      case 'name':
        return `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)}`;
      case 'place':
      case 'place2':
        return random.pick(CITIES);
      case 'commune':
        return random.pick(COMMUNES);
      case 'market':
        return random.pick(MARKETS);
      case 'avenue':
        return random.pick(AVENUES);
      case 'river':
        return random.pick(RIVERS);
      case 'day':
        return random.pick(DAYS[language]);
      case 'month':
        return random.pick(MONTHS[language]);
      case 'time':
        return random.pick(TIMES[language]);
      case 'n':
        return String(random.int(3, 180));
      case 'n1':
        return String(n1);
      case 'n2':
        return String(n1 + random.int(1, 7));
      case 'pct':
        return String(random.int(52, 91));
      case 'amount':
        return random.next() < 0.6
          ? `${formatThousands(random.int(2, 600) * 500, language)} FC`
          : `${formatThousands(random.int(1, 120) * 5, language)} $`;
      case 'usd':
        return `USD ${formatThousands(random.int(2, 400) * 25, 'en')}`;
      case 'ref':
        return `${random.pick(['KIN', 'REF', 'CD', 'FAC'])}-${random.int(2024, 2026)}-${String(random.int(1, 99999)).padStart(5, '0')}`;
      case 'phone':
        return formatPhone(random);
      case 'org':
        return random.pick(ORGANISATIONS);
      default:
        throw new Error(`unknown slot {${slot}} in template ${JSON.stringify(template)}`);
    }
  });
}

export function formatPhone(random: Random): string {
  const prefix = random.pick(['81', '82', '84', '85', '89', '97', '99', '90']);
  return `+243 ${prefix} ${random.int(100, 999)} ${String(random.int(0, 9999)).padStart(4, '0')}`;
}

function formatThousands(value: number, language: Language): string {
  // French and Lingala group thousands with a space, English with a comma.
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, language === 'en' ? ',' : ' ');
}

const CONNECTORS: Record<Language, readonly string[]> = {
  fr: [
    'Par ailleurs, ',
    'Sinon, ',
    'Au fait, ',
    'Comme convenu, ',
    'Pour information, ',
    'En plus, ',
    'Entre-temps, ',
    "D'autre part, ",
    'Aussi, ',
    'Bon, ',
  ],
  en: ['Also, ', 'By the way, ', 'As agreed, ', 'For your information, ', 'Meanwhile, ', 'In any case, '],
  ln: ['Lisusu, ', 'Bongo, ', 'Kasi ', 'Mpe ', 'Na yango, '],
  sw: ['Pia, ', 'Halafu, ', 'Lakini ', 'Kwa hiyo, ', 'Zaidi ya hayo, '],
};

/** One random sentence of `language`, its slots filled, sometimes tied to the previous one. */
export function writeSentence(random: Random, language: Language): string {
  const template = random.pick(SENTENCES[language]);
  const sentence = fillTemplate(random, template, { language });
  // Only before a lower-case word: a name or an acronym must keep its capital.
  if (random.next() < 0.2 && !template.startsWith('{') && /^[A-ZÀ-Ý][a-zà-ÿ' ]/.test(sentence)) {
    return random.pick(CONNECTORS[language]) + sentence[0]!.toLowerCase() + sentence.slice(1);
  }
  return sentence;
}

/** The ASCII form of a name for an address: `Élodie` → `elodie`. */
export function toAddressPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '');
}

/** Breaks `text` into lines of at most `width` characters, at spaces. */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}
