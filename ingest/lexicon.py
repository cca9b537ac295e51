"""Words the extractor reads reports by, per language: verbs of saying (and of denying, accusing,
blaming), "according to", pronouns, role nouns, weekdays, and the cues that mark a quoted span as
nobody's (slogans, titles, scare quotes). Lower-case; regular expressions are built from them in
the modules that use them."""

from __future__ import annotations

import re


def words(text: str) -> list[str]:
    """The words of a whitespace-separated list; "made\\ clear" is one entry, "made clear"."""
    return [word.replace("\\ ", " ") for word in re.split(r"(?<!\\)\s+", text.strip())]


LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "ru", "uk")

# Verbs of saying: an attribution introduces a clause (reported) or frames a quote (direct).
SAY = {
    "en": """said says say told tells added adds ruling finding concluding adding noting warning
        arguing insisting claiming
        explaining stressing declaring announcing stated states announced announces argued argues
        insisted insists warned warns claimed claims maintained maintains noted notes explained
        explains acknowledged acknowledges admitted admits confirmed confirms estimated estimates
        predicted predicts reported reports wrote writes alleged alleges countered counters
        replied replies responded responds asserted asserts contended contends conceded concedes
        declared declares disclosed discloses revealed reveals stressed stresses emphasised
        emphasized emphasises emphasizes suggested suggests recalled recalls pointed\\ out
        pointed\\ to observed observes cautioned cautions complained complains concluded
        concludes promised promises pledged pledges vowed vows assured assures agreed agrees
        objected objects protested protests telling saying made\\ clear
        made\\ it\\ clear has\\ made\\ clear have\\ made\\ clear testified testifies
        calculated calculates found finds showed shows""",
    "es": """dijo dice dicen afirmó afirma afirman aseguró asegura aseguran declaró declara
        señaló señala señalan explicó explica añadió añade agregó agrega indicó indica sostuvo
        sostiene advirtió advierte reconoció reconoce admitió admite anunció anuncia insistió
        insiste respondió responde replicó replica denunció denuncia subrayó subraya destacó
        destaca precisó precisa recordó recuerda aclaró aclara apuntó apunta manifestó
        manifiesta estimó estima calculó calcula prometió promete ha\\ dicho ha\\ afirmado
        ha\\ asegurado ha\\ declarado ha\\ señalado ha\\ explicado ha\\ añadido ha\\ anunciado
        ha\\ reconocido ha\\ advertido diciendo afirmando señalando asegurando rebatió
        rebate contestó contesta""",
    "fr": """a\\ déclaré a\\ affirmé a\\ dit a\\ indiqué a\\ expliqué a\\ ajouté a\\ assuré
        a\\ estimé a\\ souligné a\\ précisé a\\ annoncé a\\ reconnu a\\ admis a\\ averti
        a\\ rappelé a\\ répondu a\\ répliqué a\\ insisté a\\ martelé a\\ prévenu a\\ confié
        a\\ relevé a\\ noté a\\ jugé a\\ fait\\ valoir a\\ fait\\ savoir a\\ promis a\\ calculé
        déclare affirme dit indique explique ajoute assure estime souligne précise annonce
        reconnaît admet avertit rappelle répond réplique insiste martèle prévient confie
        relève juge promet affirmait déclarait disait assurait expliquait estimait
        déclaré affirmé expliqué ajouté assuré estimé souligné précisé indiqué répondu
        répliqué insisté averti reconnu martelé prévenu confié jugé
""",
    "de": """sagte sagt sagten sagen erklärte erklärt erklärten betonte betont teilte\\ mit
        teilt\\ mit kündigte\\ an warnte warnt räumte\\ ein räumt\\ ein meinte meint
        versicherte versichert unterstrich unterstreicht fügte\\ hinzu ergänzte ergänzt
        berichtete berichtet behauptete behauptet argumentierte bekräftigte bekräftigt
        schrieb schreibt verwies verweist hieß\\ es heißt\\ es sprach\\ von kritisierte
        rechnete\\ vor rechnet\\ vor""",
    "it": """ha\\ detto ha\\ dichiarato ha\\ affermato ha\\ spiegato ha\\ aggiunto
        ha\\ sottolineato ha\\ annunciato ha\\ ammesso ha\\ replicato ha\\ assicurato
        ha\\ precisato ha\\ ricordato ha\\ osservato ha\\ avvertito ha\\ insistito
        ha\\ risposto ha\\ sostenuto ha\\ confermato ha\\ riconosciuto ha\\ stimato
        ha\\ calcolato ha\\ promesso ha\\ denunciato ha\\ rivendicato
        dice dicono afferma dichiara spiega aggiunge sottolinea annuncia ammette replica
        assicura precisa ricorda osserva avverte sostiene conferma riconosce
        disse dichiarò affermò spiegò aggiunse dicendo affermando""",
    "pt": """disse diz dizem afirmou afirma declarou declara explicou explica acrescentou
        acrescenta garantiu garante sublinhou sublinha anunciou anuncia admitiu admite
        reconheceu reconhece respondeu responde afirmaram disseram alertou alerta
        advertiu adverte assegurou assegura destacou destaca frisou frisa salientou salienta
        ressaltou ressalta insistiu insiste lembrou lembra indicou indica estimou estima
        calculou calcula prometeu promete sustentou sustenta defendeu defende
""",
    "ru": """заявил заявила заявили заявляет заявляют сказал сказала сказали говорит говорят
        сообщил сообщила сообщили сообщает отметил отметила отметили подчеркнул подчеркнула
        добавил добавила добавили пояснил пояснила признал признала уточнил уточнила
        указал указала утверждает утверждал утверждала настаивает настаивал настаивала
        предупредил предупредила ответил ответила возразил возразила напомнил напомнила
        рассказал рассказала пообещал пообещала объяснил объяснила считает говорил говорила
        говорили""",
    "uk": """заявив заявила заявили заявляє сказав сказала сказали каже кажуть повідомив
        повідомила повідомили повідомляє зазначив зазначила наголосив наголосила додав
        додала пояснив пояснила визнав визнала уточнив уточнила вказав вказала стверджує
        стверджував стверджувала наполягає наполягав попередив попередила відповів
        відповіла заперечив заперечила нагадав нагадала розповів розповіла пообіцяв
        пообіцяла вважає казав казала казали говорив говорила говорили""",
}

# "According to X, …": the clause after the comma is X's.
ACCORDING = {
    "en": ["according to"],
    "es": ["según", "de acuerdo con", "según él", "según ella"],
    "fr": ["selon", "d'après", "d’après", "selon lui", "selon elle"],
    "de": ["nach angaben von", "nach angaben der", "nach angaben des", "laut", "so"],
    "it": ["secondo", "stando a", "secondo lui", "secondo lei"],
    "pt": ["segundo", "de acordo com", "conforme", "segundo ele", "segundo ela"],
    "ru": [
        "по словам",
        "по данным",
        "как сообщил",
        "как сообщила",
        "как заявил",
        "как заявила",
        "по его словам",
        "по её словам",
        "по ее словам",
        "по их словам",
    ],
    "uk": [
        "за словами",
        "за даними",
        "як повідомив",
        "як повідомила",
        "як заявив",
        "як заявила",
        "за його словами",
        "за її словами",
        "за їхніми словами",
    ],
}

# Verbs whose span starts at the verb itself: the speaker's position reads "denied that …".
DENY = {
    "en": """denied denies deny denying rejected rejects dismissed dismisses disputed disputes
        refuted refutes contested contests accused accuses accusing blamed blames blaming
        rejected\\ claims""",
    "es": "negó niega niegan negaron rechazó rechaza desmintió desmiente acusó acusa culpó culpa",
    "fr": """a\\ démenti dément démentent a\\ nié nie nient a\\ contesté conteste a\\ rejeté
        rejette a\\ accusé accuse accusent a\\ reproché reproche""",
    "de": """bestritt bestreitet bestreiten wies\\ zurück weist\\ zurück warf\\ vor wirft\\ vor
        beschuldigte beschuldigt dementierte dementiert""",
    "it": """ha\\ negato nega negano ha\\ smentito smentisce ha\\ respinto respinge
        ha\\ accusato accusa ha\\ contestato contesta""",
    "pt": "negou nega negam desmentiu desmente rejeitou rejeita acusou acusa contestou contesta",
    "ru": """отрицает отрицают отрицал отрицала опроверг опровергла опровергает обвинил обвинила
        обвиняет обвинили""",
    "uk": """заперечує заперечують заперечував заперечувала спростував спростувала
        звинуватив звинуватила звинувачує""",
}

# Verbs whose quoted object is the speaker's own verdict: dismissed his account as "fiction".
VERDICT = {
    "en": """dismissed\\ as dismissed called calls calling described\\ as describes\\ as
        described branded brands labelled labeled termed terms characterised\\ as
        characterized\\ as denounced\\ as condemned\\ as rejected\\ as""",
    "es": "calificó califica tildó definió llamó",
    "fr": "a\\ qualifié qualifie a\\ dénoncé dénonce a\\ fustigé fustige a\\ parlé\\ d'",
    "de": "bezeichnete bezeichnet nannte nennt sprach\\ von",
    "it": "ha\\ definito definisce ha\\ bollato ha\\ parlato\\ di",
    "pt": "classificou chamou qualificou definiu",
    "ru": "назвал назвала назвали называет",
    "uk": "назвав назвала назвали називає",
}

# Subjects that name nobody: their words are not statements.
UNNAMED = {
    "en": """diplomats analysts officials sources critics experts observers witnesses residents
        protesters protester demonstrators people some many others someone one several a\\ source
        an\\ official a\\ diplomat an\\ analyst insiders economists traders investors
        campaigners activists locals voters workers fishermen farmers""",
    "es": "diplomáticos analistas fuentes expertos vecinos algunos muchos regantes manifestantes",
    "fr": "diplomates analystes sources experts observateurs habitants certains plusieurs",
    "de": "diplomaten analysten quellen experten beobachter anwohner einige viele",
    "it": "diplomatici analisti fonti esperti osservatori residenti alcuni molti",
    "pt": "diplomatas analistas fontes especialistas observadores moradores alguns muitos",
    "ru": "дипломаты аналитики источники эксперты наблюдатели жители некоторые многие",
    "uk": "дипломати аналітики джерела експерти спостерігачі мешканці деякі багато",
}

PRONOUNS = {
    "en": {"he": "m", "she": "f", "it": "o", "they": "p"},
    "es": {"él": "m", "ella": "f", "ellos": "p", "ellas": "p"},
    "fr": {"il": "m", "elle": "f", "ils": "p", "elles": "p"},
    "de": {"er": "m", "sie": "f"},
    "it": {"lui": "m", "lei": "f", "egli": "m", "ella": "f"},
    "pt": {"ele": "m", "ela": "f", "eles": "p", "elas": "p"},
    "ru": {"он": "m", "она": "f", "они": "p"},
    "uk": {"він": "m", "вона": "f", "вони": "p"},
}

# Role nouns that stand for a person already named ("the minister", "la syndicaliste").
ROLES = words(
    r"""
    mediator médiateur médiatrice mediador mediadora vermittler vermittlerin mediatore
    mediatrice посредник посередник negotiator négociateur negociador dirigente dirigeant
    dirigeante líder leader envoy émissaire enviado gesandter inviato
    representative représentant représentante representante rappresentante vertreter
    vertreterin представитель представник
    ministra ministerin ministra-presidente міністерка министерка
    coordinator coordinatrice coordinateur coordinatrice coordinador coordinadora coordenador
    coordenadora koordinator koordinatorin auditor vérificateur vérificatrice verificatore
    auditora prüfer prüferin inspector-general ombudsperson defensor defensora
    minister ministre ministro министр міністр secretary-general secretary president président
    presidente präsident президент прем'єр chief head leader boss chairman chairwoman chair
    director directeur directora director executive ceo founder mayor maire alcalde alcaldesa
    sindaco sindaca prefeito prefeita bürgermeister bürgermeisterin мэр мер глава голова
    governor gouverneur gobernador senator senatorin sénateur senadora senatore spokesman
    spokeswoman spokesperson porte-parole portavoz sprecher sprecherin portavoce porta-voz
    пресс-секретарь речник ambassador ambassadeur embajador botschafter ambasciatore
    embaixador посол commissioner commissaire comisario kommissar prosecutor procureur fiscal
    staatsanwalt procuratore promotor прокурор judge juge juez richter giudice juiz судья
    суддя general général coach entraîneur entrenador trainer allenatore treinador
    syndicaliste sindicalista gewerkschafter gewerkschafterin профсоюз manager manageress
    economist économiste economista ökonom ökonomin professor professeur profesor professorin
    investigator inspector inspecteur inspektor chancellor kanzler kanzlerin chancelier
    councillor councilor conseiller conseillère concejal stadträtin stadtrat consigliere
    vereador депутат депутатка deputy député diputado abgeordnete deputato deputado lawyer
    avocat abogado anwalt anwältin avvocato advogado адвокат researcher chercheur investigador
    forscher forscherin ricercatore pesquisador scientist minister-president premier prime\
    minister governor-general ombudsman médiateur director-general manager gérant gerente
    geschäftsführer amministratore presidenta präsidentin consejero consejera conseller
    consellera assessore assessora secretário secretária sekretär sekretärin secrétaire
    segretario segretaria secretario secretaria vorsitzende vorsitzender leiter leiterin
    direktor direktorin chefin delegado delegada délégué déléguée delegato delegata
    """
)

# Heads that stand for any leader of a body: "the alliance's chief" is its secretary-general.
LEADER_ROLES = set(
    words(
        r"""
    chief head leader boss chairman chairwoman chair president secretary-general director
    director-general executive ceo глава голова chef jefe capo chefe leiter leiterin chefin
    dirigeant
    """
    )
)

# Nouns that stand for an organisation already named ("the ministry", "the company").
BODIES = words(
    r"""
    report study survey statement letter ruling judgment judgement filing analysis audit
    rapport informe relatório rapporto bericht studie estudio étude studio estudo доклад
    отчёт отчет звіт
    carmaker automaker lender insurer retailer producer manufacturer start-up startup utility
    broadcaster developer miner watchdog regulator operator festival organisers organizers
    organisation organization institution supermarket chain brand platform app exchange
    insurer airline carrier shipper port hospital clinic school academy museum league team
    federation consortium ministry office department campaign movement
    alliance ministry company firm group government union council court agency authority bank
    network coalition party association federation commission committee board office
    department police army military institute university hospital operator airline regulator
    municipality city council cabinet parliament club league foundation charity ministère
    gouvernement syndicat entreprise société mairie tribunal conseil agence ministerio
    gobierno empresa sindicato ayuntamiento tribunal consejo agencia ministerium regierung
    unternehmen firma gewerkschaft senat stadt behörde gericht ministero governo azienda
    società sindacato comune tribunale consiglio agenzia ministério governo empresa sindicato
    prefeitura tribunal conselho agência министерство правительство компания профсоюз
    администрация мэрия суд міністерство уряд компанія профспілка адміністрація міськрада суд
    """
)

WEEKDAYS = {
    "en": "monday tuesday wednesday thursday friday saturday sunday",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "de": "montag dienstag mittwoch donnerstag freitag samstag sonntag",
    "it": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    "pt": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
    "ru": "понедельник вторник среду четверг пятницу субботу воскресенье",
    "uk": "понеділок вівторок середу четвер п'ятницю суботу неділю",
}
RELATIVE_DAYS = {  # days back from the publication date
    "today": 0,
    "yesterday": 1,
    "hoy": 0,
    "ayer": 1,
    "aujourd'hui": 0,
    "hier": 1,
    "heute": 0,
    "gestern": 1,
    "oggi": 0,
    "ieri": 1,
    "hoje": 0,
    "ontem": 1,
    "сегодня": 0,
    "вчера": 1,
    "сьогодні": 0,
    "вчора": 1,
}

# A quoted span after these is a name, a title, a slogan or a term, not a statement.
NOBODY_BEFORE = words(
    r"""
    reading read reads titled entitled named dubbed so-called so\ called known\ as called
    slogan slogans banner banners placard placards sign signs chanting chanted chant chants
    motto hashtag headline campaign operation programme program show film series report book
    documentary album song brand label the\ word the\ term the\ phrase the\ words term word
    phrase what\ they\ call what\ it\ calls what\ he\ calls what\ she\ calls nicknamed
    codenamed code-named marked lema lemas pancarta pancartas consigna llamado llamada
    denominado denominada programa informe campaña operación la\ palabra el\ término slogan
    banderole pancarte pancartes intitulé intitulée baptisé baptisée appelé appelée dit dite
    rapport campagne opération programme le\ mot le\ terme parole transparent plakat plakate
    titel namens sogenannte sogenannten sogenannter bericht kampagne operation programm das\
    wort den\ begriff striscione cartello cartelli slogan intitolato intitolata chiamato
    chiamata cosiddetto cosiddetta rapporto campagna operazione programma la\ parola il\
    termine faixa faixas cartaz cartazes lema intitulado intitulada chamado chamada relatório
    campanha operação programa a\ palavra o\ termo лозунг лозунги плакат плакаты транспарант
    называемый называемая называемые компания компании фирма фирмы организация организации
    проект программа операция доклад кампания слово термин акция движение гасло гасла плакат
    плакати транспарант так\ званий так\ звана компанія компанії фірма фірми організація
    організації проєкт програма операція доповідь кампанія слово термін акція рух
    """
)

# Complementisers that open a reported clause, and those that repeat to start a second one.
THAT = {
    "en": ["that"],
    "es": ["que"],
    "fr": ["que", "qu'", "qu’"],
    "de": ["dass"],
    "it": ["che"],
    "pt": ["que"],
    "ru": ["что"],
    "uk": ["що"],
}
SECOND_CLAUSE = {
    "en": [", and that ", " and that ", ", but that ", " but that ", " and added that "],
    "es": [" y que ", ", y que ", " pero que ", ", pero que "],
    "fr": [" et qu'", " et qu’", " et que ", ", et que ", " mais que ", ", mais qu'"],
    "de": [" und dass ", ", und dass ", " aber dass "],
    "it": [" e che ", ", e che ", " ma che "],
    "pt": [" e que ", ", e que ", " mas que "],
    "ru": [" и что ", ", и что ", " а также что ", ", но что "],
    "uk": [" і що ", ", і що ", " та що ", ", та що ", ", але що "],
}

# Words that start a sentence without being a name.
FUNCTION_WORDS = set(
    words(
        r"""
    the a an but and or however yet so then also still despite after before while when if as
    at in on of for by with from to this that these those there here it its his her their our
    we i you they he she late early last next more most some many one two three le la les un
    une des mais et ou selon après avant pendant depuis dans en pour par avec el los las unos
    unas pero y o según tras antes durante desde para por con der die das ein eine aber und
    oder nach vor während seit für mit auch noch il lo gli i uno una ma e o secondo dopo prima
    durante da per con anche o os as um uma mas e ou segundo após antes durante desde para por
    com também но и или по после до во в на с для также однако але і й або за після до під час
    у в на з для також однак es man dies dabei damit zudem außerdem dennoch trotzdem deshalb
    daher jedoch zuvor bisher inzwischen
    """
    )
)
