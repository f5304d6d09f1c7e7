"""A small Swedish test collection for the knowledge bank's search.

Written for this purpose: general rules of the sickness insurance and of the collaboration
between care and Försäkringskassan, simplified, with no real cases and no individuals. It
is a yardstick for ranking, not a source of advice. Each query names the entry that should
come first, and sometimes the category the asker chose.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Doc:
    key: str
    category: str
    title: str
    body: str


@dataclass(frozen=True)
class Query:
    text: str
    expected: str
    category: str | None = None


ENTRIES: tuple[Doc, ...] = (
    Doc("sgi_deltid", "sgi_formaner", "SGI när man går ner i arbetstid",
        "Den som minskar sin arbetstid och därmed sin inkomst får i regel en lägre "
        "sjukpenninggrundande inkomst. SGI:n skyddas bara i vissa situationer, till exempel "
        "när en förälder går ner i tid med barn under ett år eller vid vissa studier."),
    Doc("sgi_studier", "sgi_formaner", "SGI-skydd vid studier",
        "Den som studerar med studiestöd kan behålla sin SGI under studietiden. Under "
        "studierna är man SGI-skyddad, och blir man sjuk kan sjukpenning beräknas på den "
        "skyddade inkomsten om man avbryter studierna."),
    Doc("sgi_arbetslos", "sgi_formaner", "SGI vid arbetslöshet",
        "En arbetslös behåller sin SGI om hen är inskriven som arbetssökande hos "
        "Arbetsförmedlingen från första dagen efter att anställningen upphörde och står "
        "till arbetsmarknadens förfogande."),
    Doc("sgi_foraldraledig", "sgi_formaner", "SGI under föräldraledighet",
        "Under föräldraledighet med föräldrapenning är SGI:n skyddad. Den som är "
        "föräldraledig utan föräldrapenning är också skyddad så länge barnet är under ett år."),
    Doc("sgi_berakning", "sgi_formaner", "Hur SGI beräknas",
        "SGI beräknas på den årsinkomst av arbete som man kan antas få under den närmaste "
        "tiden. Inkomst över taket på tio prisbasbelopp räknas inte med, och inkomsten "
        "måste vara regelbunden och komma från arbete."),
    Doc("karens", "regler", "Karensavdrag",
        "Karensavdraget motsvarar tjugo procent av en genomsnittlig veckas sjuklön och görs "
        "vid varje ny sjukperiod. Återinsjuknar man inom fem dagar räknas det som samma "
        "sjukperiod och inget nytt karensavdrag görs."),
    Doc("sjuklon", "regler", "Sjuklöneperioden och arbetsgivarens ansvar",
        "Under de första fjorton dagarna betalar arbetsgivaren sjuklön. Från dag femton "
        "betalar Försäkringskassan sjukpenning, och arbetsgivaren anmäler sjukfallet."),
    Doc("intyg_dag8", "intyg", "Läkarintyg från dag åtta",
        "Från den åttonde kalenderdagen i sjukperioden behöver arbetstagaren ett läkarintyg "
        "till arbetsgivaren. Intyget ska visa att arbetsförmågan är nedsatt, inte bara att "
        "personen har en sjukdom."),
    Doc("anmalan_fk", "regler", "Sjukanmälan till Försäkringskassan",
        "Arbetsgivaren anmäler sjukfallet till Försäkringskassan när det pågår längre än "
        "fjorton dagar. Den försäkrade ansöker själv om sjukpenning, helst digitalt."),
    Doc("egenforetagare", "regler", "Sjukpenning för egenföretagare",
        "En egenföretagare väljer karenstid, och sjukpenningen betalas av "
        "Försäkringskassan från första dagen efter karenstiden. Den sjukpenninggrundande "
        "inkomsten bygger på inkomsten av näringsverksamhet."),
    Doc("komplettering_innehall", "komplettering", "Vad en komplettering ska innehålla",
        "När Försäkringskassan begär komplettering av ett läkarintyg ska läkaren svara på "
        "just de frågor som ställs. Beskriv konkreta undersökningsfynd, funktionsnedsättning "
        "och hur aktiviteterna begränsas; upprepa inte bara diagnosen."),
    Doc("komplettering_tid", "komplettering", "Svarstid vid komplettering",
        "En begäran om komplettering har en svarstid, oftast en eller två veckor. Kan "
        "läkaren inte svara i tid bör hen höra av sig till handläggaren, annars kan "
        "beslutet fattas på det underlag som finns."),
    Doc("komplettering_vem", "komplettering", "Vem svarar på en komplettering",
        "Kompletteringen besvaras helst av läkaren som skrev intyget. Har hen slutat kan en "
        "annan läkare på enheten svara, om hen har träffat patienten eller tagit del av "
        "journalen."),
    Doc("intyg_dfa", "intyg", "DFA-kedjan i läkarintyget",
        "Läkarintyget bygger på kedjan diagnos, funktionsnedsättning och "
        "aktivitetsbegränsning. Varje led ska hänga ihop med nästa, så att det framgår "
        "varför arbetsförmågan är nedsatt."),
    Doc("intyg_aktivitetsbegransning", "intyg", "Att beskriva aktivitetsbegränsning",
        "Skriv vilka aktiviteter personen inte klarar och i vilken grad, till exempel att "
        "hen inte kan koncentrera sig mer än en kort stund eller inte klarar kontakter med "
        "kunder. Allmänna ord som trötthet räcker inte."),
    Doc("intyg_forlangning", "intyg", "Förlängning av sjukskrivning",
        "Ett nytt intyg för förlängning bör skrivas innan det gamla har gått ut, så att "
        "ersättningen inte får ett glapp. Intyget ska visa vad som hänt sedan förra "
        "intyget och hur planen ser ut."),
    Doc("intyg_bakat", "intyg", "Sjukskrivning bakåt i tiden",
        "Ett läkarintyg kan gälla från ett datum före undersökningen bara om läkaren kan "
        "bedöma att arbetsförmågan var nedsatt redan då. Tillbakadatering mer än en vecka "
        "kräver särskilda skäl."),
    Doc("intyg_distans", "intyg", "Intyg efter videobesök",
        "Ett läkarintyg kan skrivas efter ett besök på distans om läkaren har tillräckligt "
        "underlag. Det ska framgå i intyget att bedömningen gjordes vid ett videobesök."),
    Doc("lakarutlatande_sa", "intyg", "Läkarutlåtande för sjukersättning",
        "Vid ansökan om sjukersättning behövs ett läkarutlåtande om hälsotillstånd. Det ska "
        "beskriva sjukdomshistorien, vilka behandlingar som prövats och varför "
        "arbetsförmågan bedöms vara stadigvarande nedsatt."),
    Doc("fmb", "regler", "Försäkringsmedicinskt beslutsstöd",
        "Det försäkringsmedicinska beslutsstödet ger rekommendationer om "
        "sjukskrivningstider per diagnos. Avviker sjukskrivningen från rekommendationen bör "
        "intyget förklara varför."),
    Doc("fmr", "regler", "Försäkringsmedicinsk rådgivare",
        "Handläggaren kan rådgöra med en försäkringsmedicinsk rådgivare, en läkare på "
        "Försäkringskassan, om det medicinska underlaget. Rådgivaren träffar inte den "
        "försäkrade och fattar inga beslut."),
    Doc("avstamning_nar", "avstamningsmote", "När ett avstämningsmöte är värt det",
        "Ett avstämningsmöte passar när flera aktörer behöver planera tillsammans, till "
        "exempel när återgång i arbete är oklar eller när behandling och arbetsanpassning "
        "måste samordnas. Det är sällan meningsfullt i början av en kort sjukskrivning."),
    Doc("avstamning_vem", "avstamningsmote", "Vem deltar i ett avstämningsmöte",
        "Försäkringskassan kallar till avstämningsmötet. Den försäkrade deltar alltid, och "
        "ofta arbetsgivaren och den behandlande läkaren eller rehabkoordinatorn; "
        "Arbetsförmedlingen kan också delta."),
    Doc("avstamning_forbered", "avstamningsmote", "Att förbereda ett avstämningsmöte",
        "Inför mötet bör vården ha klart vilka behandlingar som pågår och vad personen "
        "klarar i dag. Syftet med mötet ska vara känt för alla i förväg."),
    Doc("avstamning_digitalt", "avstamningsmote", "Avstämningsmöte på distans",
        "Avstämningsmöten kan hållas digitalt eller per telefon. Läkaren kan då delta "
        "under en kortare del av mötet."),
    Doc("rehabkedja_90", "regler", "Rehabiliteringskedjan: de första 90 dagarna",
        "Under de första nittio dagarna prövas arbetsförmågan mot det vanliga arbetet. Kan "
        "personen göra sitt vanliga arbete helt eller delvis har hen inte rätt till hel "
        "sjukpenning."),
    Doc("rehabkedja_180", "regler", "Rehabiliteringskedjan: dag 91 till 180",
        "Från dag nittioett prövas om personen kan utföra annat arbete hos sin "
        "arbetsgivare, tillfälligt eller varaktigt."),
    Doc("rehabkedja_181", "regler", "Rehabiliteringskedjan efter dag 180",
        "Från dag hundraåttioett bedöms arbetsförmågan mot ett normalt förekommande arbete "
        "på arbetsmarknaden. Undantag görs om det finns särskilda skäl eller om det vore "
        "oskäligt, till exempel när personen sannolikt kan gå tillbaka till sin arbetsgivare."),
    Doc("rehabkedja_365", "regler", "Sjukpenning efter ett år",
        "Efter dag trehundrasextiofem betalas sjukpenning på fortsättningsnivå, med en "
        "lägre ersättning. Det krävs fortfarande att arbetsförmågan är nedsatt mot normalt "
        "förekommande arbete."),
    Doc("rehab_utan_arbete", "regler", "Bedömning för den som saknar arbete",
        "Den som inte har en anställning bedöms redan från första dagen mot ett normalt "
        "förekommande arbete, eller mot arbete som arbetssökande kan ta."),
    Doc("deltid_nivaer", "arbetsformaga", "Partiell sjukpenning",
        "Sjukpenning kan betalas på hel, tre fjärdedels, halv eller en fjärdedels nivå när "
        "arbetsförmågan är nedsatt i motsvarande grad. Att vara sjukskriven på deltid är "
        "vanligt vid psykisk ohälsa."),
    Doc("deltid_forlaggning", "arbetsformaga",
        "Förläggning av arbetstid vid partiell sjukskrivning",
        "Arbetstiden ska i regel minskas lika mycket varje dag. En annan förläggning, till "
        "exempel hela dagar, kan godtas om den inte försvårar återgången i arbete."),
    Doc("deltid_upptrappning", "arbetsformaga", "Gradvis återgång i arbete",
        "En upptrappning, där arbetstiden ökar stegvis, planeras med arbetsgivaren och "
        "beskrivs i intyget. Stegen bör ha datum så att handläggaren kan följa planen."),
    Doc("plan_atergang", "arbetsformaga", "Arbetsgivarens plan för återgång",
        "Arbetsgivaren ska göra en plan för återgång i arbete senast dag trettio om "
        "sjukfrånvaron väntas pågå i minst sextio dagar."),
    Doc("arbetsgivare_ansvar", "arbetsformaga", "Arbetsgivarens rehabiliteringsansvar",
        "Arbetsgivaren ansvarar för arbetsanpassning och rehabilitering på arbetsplatsen, "
        "till exempel ändrade arbetsuppgifter, hjälpmedel eller ändrade arbetstider."),
    Doc("forebyggande", "sgi_formaner", "Förebyggande sjukpenning",
        "Förebyggande sjukpenning kan betalas för behandling eller rehabilitering som "
        "läkaren har ordinerat för att förebygga sjukdom eller förkorta sjukskrivning, "
        "även när man inte är sjukskriven."),
    Doc("rehabpenning", "rehabbehov", "Rehabiliteringspenning",
        "Rehabiliteringsersättning kan betalas under arbetslivsinriktad rehabilitering, "
        "till exempel arbetsträning, om arbetsförmågan är nedsatt med minst en fjärdedel."),
    Doc("arbetstraning", "rehabbehov", "Arbetsträning",
        "Arbetsträning är ett sätt att pröva arbetsförmågan stegvis på en arbetsplats. Den "
        "planeras med Försäkringskassan, och under tiden betalas rehabiliteringsersättning."),
    Doc("sa_villkor", "sa_ae", "Villkor för sjukersättning",
        "Sjukersättning kan betalas till den som är 19 till 64 år och har en stadigvarande "
        "nedsatt arbetsförmåga med minst en fjärdedel i alla arbeten på arbetsmarknaden, "
        "när alla rehabiliteringsåtgärder är prövade."),
    Doc("ae_villkor", "sa_ae", "Aktivitetsersättning för unga",
        "Aktivitetsersättning kan betalas till den som är 19 till 29 år och har nedsatt "
        "arbetsförmåga under minst ett år. Under tiden kan hen delta i aktiviteter som "
        "främjar hälsan."),
    Doc("ae_skolgang", "sa_ae", "Aktivitetsersättning vid förlängd skolgång",
        "Unga som på grund av funktionsnedsättning inte har avslutat gymnasiet kan få "
        "aktivitetsersättning medan de går klart skolan."),
    Doc("sa_vilande", "sa_ae", "Att arbeta med sjukersättning",
        "Den som har sjukersättning kan pröva att arbeta med vilande ersättning, så att "
        "ersättningen kan tas upp igen om arbetet inte går."),
    Doc("smittbarare", "sgi_formaner", "Smittbärarpenning",
        "Smittbärarpenning kan betalas till den som inte får arbeta för att hen bär på "
        "smitta, efter beslut av en smittskyddsläkare."),
    Doc("narstaende", "sgi_formaner", "Närståendepenning",
        "Närståendepenning betalas till den som avstår från arbete för att vårda en svårt "
        "sjuk närstående, i högst hundra dagar per vårdad person."),
    Doc("sjukpenning_belopp", "sgi_formaner", "Hur stor sjukpenningen är",
        "Sjukpenningen är knappt åttio procent av den sjukpenninggrundande inkomsten, upp "
        "till ett tak. Efter ett år sjunker ersättningen till fortsättningsnivån."),
    Doc("koordinator", "planering", "Rehabkoordinatorns uppdrag",
        "Rehabkoordinatorn i vården stödjer patienten under sjukskrivningen, samordnar "
        "insatser inom vården och är kontakt mot Försäkringskassan och arbetsgivaren."),
    Doc("samtycke", "regler", "Samtycke vid kontakt mellan vård och Försäkringskassa",
        "Uppgifter om en enskild person får lämnas mellan vården och Försäkringskassan med "
        "personens samtycke. Notera i journalen när samtycket inhämtades och hur."),
    Doc("avidentifierat", "ovrigt", "Att fråga avidentifierat",
        "En generell fråga om regler kan ställas utan att personen går att känna igen. Ta "
        "bort namn, identitetsnummer och detaljer som pekar ut en enskild."),
    Doc("uppgiftsskyldighet", "regler", "Vårdens skyldighet att lämna uppgifter",
        "Vården ska på begäran lämna uppgifter om en enskild som behövs för "
        "Försäkringskassans handläggning. Då behövs inte samtycke, men begäran ska gälla "
        "ett pågående ärende."),
    Doc("omprovning", "regler", "Omprövning av beslut",
        "Den som inte är nöjd med ett beslut kan begära omprövning inom två månader från "
        "att hen fick del av beslutet. Därefter kan beslutet överklagas till "
        "förvaltningsrätten."),
    Doc("indragning", "arendeplanering", "När sjukpenningen dras in",
        "Sjukpenningen kan dras in eller sättas ned om personen utan giltigt skäl inte "
        "deltar i rehabilitering eller inte lämnar de uppgifter som behövs."),
    Doc("arbetsformaga_bedomning", "arbetsformaga", "Hur arbetsförmågan bedöms",
        "Försäkringskassan gör en helhetsbedömning av arbetsförmågan utifrån det "
        "medicinska underlaget, personens egna uppgifter och kraven i det arbete som "
        "bedömningen görs mot."),
    Doc("utmattning", "prognos", "Sjukskrivningstid vid utmattningssyndrom",
        "Vid utmattningssyndrom är sjukskrivningen ofta lång och återgången stegvis. "
        "Prognosen blir bättre med tidig kontakt med arbetsplatsen och en tydlig plan."),
    Doc("utlandsresa", "regler", "Resa utomlands under sjukskrivning",
        "Den som vill resa utomlands med sjukpenning måste ansöka om det i förväg. Resan får "
        "inte försämra hälsan eller försvåra rehabiliteringen."),
    Doc("prognos_intyg", "prognos", "Medicinsk prognos i intyget",
        "Beskriv i intyget när arbetsförmågan väntas återkomma, helt eller delvis, och vad "
        "som talar för eller emot. En osäker prognos ska skrivas som osäker."),
    Doc("behandlingsresultat", "behandlingsresultat", "Resultat av behandling",
        "Beskriv vilka behandlingar som har genomförts, hur länge och med vilket resultat. "
        "Uteblivet resultat är också viktigt för bedömningen."),
    Doc("planerade_atgarder", "planering", "Planerade åtgärder framåt",
        "Intyget bör ange vilka åtgärder som är planerade, till exempel samtalsbehandling, "
        "ändrad medicinering eller kontakt med arbetsgivaren, och när de ska ske."),
    Doc("handlaggarens_planering", "arendeplanering", "Aktuell planering i ärendet",
        "Handläggaren gör en planering för ärendet med kontrollpunkter. Vården kan fråga "
        "handläggaren om planeringen och om nästa steg i ärendet."),
    Doc("kartlaggning", "rehabbehov", "Behov av arbetslivsinriktad rehabilitering",
        "Försäkringskassan utreder om personen behöver arbetslivsinriktade insatser för att "
        "kunna återgå i arbete, och samordnar dem med arbetsgivaren och vården."),
    Doc("af_samverkan", "rehabbehov", "Samverkan med Arbetsförmedlingen",
        "När personen saknar arbete eller inte kan gå tillbaka till sin arbetsgivare kan "
        "Försäkringskassan och Arbetsförmedlingen planera insatser tillsammans."),
    Doc("finsam", "ovrigt", "Samordningsförbund",
        "Ett samordningsförbund är en samverkan mellan Försäkringskassan, "
        "Arbetsförmedlingen, region och kommuner. Förbundet finansierar insatser för "
        "personer som behöver samordnad rehabilitering."),
    Doc("pulsmote", "ovrigt", "Pulsmöten mellan rehabkoordinatorer och handläggare",
        "Pulsmöten är korta återkommande möten där rehabkoordinatorer och handläggare går "
        "igenom öppna ärenden och utfärdade utlåtanden."),
    Doc("studier_sjuk", "sgi_formaner", "Sjuk under studier",
        "En student som blir sjuk kan få studiemedlet avskrivet under sjukperioden. "
        "Sjukpenning förutsätter en skyddad SGI."),
    Doc("fmu", "komplext", "Försäkringsmedicinsk utredning",
        "I komplexa sjukfall kan Försäkringskassan beställa en försäkringsmedicinsk "
        "utredning där flera specialister bedömer arbetsförmågan."),
    Doc("komplext_samordning", "komplext", "Insatser i komplexa sjukfall",
        "När flera sjukdomar eller sociala problem samverkar behövs ofta samordnade "
        "insatser från vård, kommun och Försäkringskassan, med en gemensam plan."),
)  # fmt: skip

QUERIES: tuple[Query, ...] = (
    Query("Hur påverkas SGI om man går ner till deltid?", "sgi_deltid", "sgi_formaner"),
    Query("sänkt arbetstid sjukpenninggrundande inkomst", "sgi_deltid"),
    Query("behåller man SGI under studietiden", "sgi_studier"),
    Query("SGI-skyddad när man studerar", "sgi_studier", "sgi_formaner"),
    Query("arbetslös inskriven på Arbetsförmedlingen SGI", "sgi_arbetslos"),
    Query("SGI föräldraledig", "sgi_foraldraledig"),
    Query("hur räknas sjukpenninggrundande inkomsten ut", "sgi_berakning"),
    Query("karensavdraget", "karens"),
    Query("återinsjuknande inom fem dagar", "karens"),
    Query("vem betalar sjuklönen de första två veckorna", "sjuklon"),
    Query("när behövs läkarintyg till arbetsgivaren", "intyg_dag8", "intyg"),
    Query("vem anmäler sjukfallet till Försäkringskassan", "anmalan_fk"),
    Query("egenföretagarens karenstid", "egenforetagare"),
    Query("vad ska kompletteringen innehålla", "komplettering_innehall", "komplettering"),
    Query("kompletteringar av läkarintyg", "komplettering_innehall"),
    Query("svarstiden för komplettering", "komplettering_tid"),
    Query("läkaren har slutat, vem svarar på kompletteringen", "komplettering_vem"),
    Query("diagnos funktionsnedsättning aktivitetsbegränsning", "intyg_dfa"),
    Query("DFA-kedjan", "intyg_dfa"),
    Query("hur beskriver man aktivitetsbegränsningar", "intyg_aktivitetsbegransning"),
    Query("förlänga sjukskrivningen", "intyg_forlangning", "intyg"),
    Query("tillbakadatera läkarintyget", "intyg_bakat"),
    Query("intyg vid videobesök", "intyg_distans"),
    Query("läkarutlåtande om hälsotillstånd", "lakarutlatande_sa"),
    Query("rekommenderade sjukskrivningstider beslutsstöd", "fmb"),
    Query("försäkringsmedicinska rådgivaren", "fmr"),
    Query("när är ett avstämningsmöte meningsfullt", "avstamning_nar", "avstamningsmote"),
    Query("vem kallar till avstämningsmötet", "avstamning_vem"),
    Query("förberedelser inför avstämningsmöten", "avstamning_forbered"),
    Query("avstamningsmote per telefon", "avstamning_digitalt"),
    Query("rehabiliteringskedjan första 90 dagarna", "rehabkedja_90"),
    Query("annat arbete hos arbetsgivaren dag 91", "rehabkedja_180"),
    Query("normalt förekommande arbete särskilda skäl", "rehabkedja_181"),
    Query("fortsättningsnivå efter ett år", "rehabkedja_365"),
    Query("bedömning när man saknar anställning", "rehab_utan_arbete"),
    Query("deltidssjukskrivning", "deltid_nivaer"),
    Query("sjukskriven på halvtid nivåer", "deltid_nivaer", "arbetsformaga"),
    Query("hur ska arbetstiden förläggas vid deltidssjukskrivning", "deltid_forlaggning"),
    Query("upptrappning av arbetstiden", "deltid_upptrappning"),
    Query("plan för återgång i arbete dag 30", "plan_atergang"),
    Query("arbetsanpassning på arbetsplatsen", "arbetsgivare_ansvar"),
    Query("förebyggande sjukpenning för behandling", "forebyggande"),
    Query("rehabiliteringsersättning", "rehabpenning"),
    Query("arbetsträna", "arbetstraning"),
    Query("villkoren för sjukersättning", "sa_villkor", "sa_ae"),
    Query("aktivitetsersättning unga", "ae_villkor"),
    Query("förlängd skolgång gymnasiet", "ae_skolgang"),
    Query("vilande sjukersättning", "sa_vilande"),
    Query("smittbärare", "smittbarare"),
    Query("vårda svårt sjuk närstående", "narstaende"),
    Query("hur mycket är sjukpenningen", "sjukpenning_belopp"),
    Query("rehabkoordinatorns roll", "koordinator"),
    Query("samtycke för att lämna uppgifter till Försäkringskassan", "samtycke"),
    Query("ställa frågan avidentifierat", "avidentifierat"),
    Query("måste vården lämna uppgifter utan samtycke", "uppgiftsskyldighet"),
    Query("begära omprövning av beslutet", "omprovning"),
    Query("indragen sjukpenning", "indragning"),
    Query("helhetsbedömning av arbetsförmågan", "arbetsformaga_bedomning"),
    Query("utmattningssyndrom prognos", "utmattning"),
    Query("utlandsresa med sjukpenning", "utlandsresa"),
    Query("skriva prognosen i intyget", "prognos_intyg", "prognos"),
    Query("resultatet av behandlingen", "behandlingsresultat"),
    Query("planerade åtgärder", "planerade_atgarder"),
    Query("handläggarens planering av ärendet", "handlaggarens_planering"),
    Query("arbetslivsinriktade insatser", "kartlaggning"),
    Query("samarbete med Arbetsförmedlingen", "af_samverkan"),
    Query("samordningsförbundet", "finsam"),
    Query("pulsmöte", "pulsmote"),
    Query("student som blir sjuk", "studier_sjuk"),
    Query("försäkringsmedicinsk utredning", "fmu"),
    Query("komplexa sjukfall samordnade insatser", "komplext_samordning", "komplext"),
)
