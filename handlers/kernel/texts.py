"""Every text Bryggan shows a user, in one Swedish voice.

Kept in one module so the wording is consistent and can be translated.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from handlers.kernel.calendar import MONTH_LABELS, MONTH_NAMES, STOCKHOLM, WEEKDAY_NAMES
from handlers.kernel.model import ConsentMode, Direction, Status

DIRECTION = {
    Direction.VARD_TILL_FK: "vård → FK",
    Direction.FK_TILL_VARD: "FK → vård",
}
STATUS = {
    Status.NY: "ny",
    Status.TAGEN: "tagen",
    Status.BESVARAD: "besvarad",
    Status.STANGD: "stängd",
    Status.ATEROPPNAD: "återöppnad",
}
STATUS_EMOJI = {
    Status.NY: "🆕",
    Status.TAGEN: "👀",
    Status.BESVARAD: "✅",
    Status.STANGD: "🔒",
    Status.ATEROPPNAD: "🔁",
}
CONSENT = {
    ConsentMode.AVIDENTIFIERAD: "avidentifierad",
    ConsentMode.SAMTYCKE: "med samtycke",
}


def day_label(day: date) -> str:
    """`15 dec 2026`."""
    return f"{day.day} {MONTH_LABELS[day.month - 1]} {day.year}"


def long_day(day: date) -> str:
    """`torsdag 24 december 2026`."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def short_day(day: date) -> str:
    """`15 dec`."""
    return f"{day.day} {MONTH_LABELS[day.month - 1]}"


def time_label(moment: datetime) -> str:
    """`22 nov 2026 14:05` in Stockholm time."""
    local = moment.astimezone(STOCKHOLM)
    return f"{day_label(local.date())} {local:%H:%M}"


def plural(count: float, one: str, many: str) -> str:
    """The count with its noun in the right form: `1 fråga`, `0 frågor`, `3 frågor`,
    `1,5 timmar`. Every text with a number and a noun goes through here (with a pair from
    NOUNS), so none says "1 frågor"."""
    number = str(count) if isinstance(count, int) else f"{count:g}".replace(".", ",")
    return f"{number} {one if count == 1 else many}"


NOUNS = {
    "question": ("fråga", "frågor"),
    "post": ("inlägg", "inlägg"),
    "entry": ("post", "poster"),
    "minute": ("minut", "minuter"),
    "hour": ("timme", "timmar"),
    "working_hour": ("arbetstimme", "arbetstimmar"),
    "day": ("dag", "dagar"),
    "working_day": ("arbetsdag", "arbetsdagar"),
    "week": ("vecka", "veckor"),
}
"""Singular and plural of the nouns counted in texts, for `plural`."""


def questions(count: int) -> str:
    """`1 fråga`, `3 frågor`."""
    return plural(count, *NOUNS["question"])


def thread_messages(count: int) -> str:
    """`1 meddelande`, `3 meddelanden`."""
    return plural(count, "meddelande", "meddelanden")


def posts(count: int) -> str:
    """`1 inlägg`, `3 inlägg`."""
    return plural(count, *NOUNS["post"])


def choices(items: Iterable[str]) -> str:
    return ", ".join(items)


# --- errors and refusals -------------------------------------------------------------------

CLI_UPGRADED = "Databasen är uppgraderad."
CLI_PURGED = "Gallrade {questions}."
CLI_PURGE_HELP = "gallra fritext i stängda frågor nu (stäng besvarade som väntat för länge)"
CLI_PURGE_DRY_RUN_HELP = "visa bara vad som skulle gallras; ändra inget"
CLI_PURGE_NOTHING = "Inget att gallra."
CLI_PURGE_WOULD = "Skulle gallras: {questions}, {messages} och {posts} i chatten."
CLI_PURGE_LINE = "  {ref}: {messages}, {posts}"
CLI_PURGE_WOULD_CLOSE = "Skulle stängas först (besvarade för länge sedan): {refs}."
CLI_PURGE_CLOSED = "Stängde {questions} som var besvarade sedan länge."
CLI_BAD_CONFIG = "Fel i konfigurationen: {error}"
CLI_NO_DATABASE = (
    "Databasen {where} går inte att nå. Kontrollera url under [database] i configen"
    " (eller BRYGGAN_DATABASE_URL) och att databasservern är igång."
)
CLI_FILE_ERROR = "Filen {path} går inte att använda: {reason}."
STORE_BUSY = "Databasen är upptagen just nu, så inget har sparats. Försök igen om en stund."
CLI_SECOND_PROCESS = (
    "En annan Bryggan kör redan på SQLite-databasen {path}. SQLite klarar bara en process; "
    "stoppa den andra, eller använd PostgreSQL för att köra flera repliker."
)
FILE_ERRORS = {
    "ENOENT": "den eller mappen den ska ligga i finns inte",
    "EACCES": "Bryggan saknar behörighet",
    "EPERM": "Bryggan saknar behörighet",
    "EISDIR": "det är en mapp",
    "ENOTDIR": "en del av sökvägen är ingen mapp",
    "ENOSPC": "disken är full",
    "EROFS": "filsystemet är skrivskyddat",
}
ARGPARSE = {
    "usage: ": "användning: ",
    "positional arguments": "kommandon och argument",
    "options": "flaggor",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "%(value)r finns inte; välj bland %(choices)s"
    ),
    "the following arguments are required: %s": "det här saknas: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "expected one argument": "ett värde behövs efter flaggan",
    "expected at most one argument": "högst ett värde",
    "expected at least one argument": "minst ett värde behövs",
    "invalid %(type)s value: %(value)r": "%(value)r är inget giltigt värde",
    "ambiguous option: %(option)s could match %(matches)s": (
        "%(option)s kan betyda flera flaggor: %(matches)s"
    ),
    "not allowed with argument %s": "går inte tillsammans med %s",
    "one of the arguments %s is required": "ett av de här behövs: %s",
    "can't open '%(filename)s': %(error)s": "kan inte öppna %(filename)s: %(error)s",
}
"""The command line's own words (argparse's), in Swedish."""
CONSOLE_CARD_UPDATE = "{emoji} {ref} · {status} · {assignee}"
CONSOLE_CARD_ASSIGNEE = "handläggs av {name}"
CONSOLE_CARD_NOBODY = "ingen har tagit den"
CONSOLE_TO = "till {name}"
CONSOLE_ATTACHMENT = "bifogad fil: {path}"
CONSOLE_GREETING = "Bryggan i terminalen. Skriv /hjälp, byt person med @namn:, avsluta med Ctrl-D."
CONSOLE_HELP = (
    "I konsolen:\n"
    "@namn: talar som en annan person, stora eller små bokstäver (@Anna: eller @anna:), "
    "t.ex. @anna: /frågor. Du är nu @{user}.\n"
    ">F-2026-0001 <text> skriver i frågans tråd.\n"
    "/klocka visar Bryggans klocka: {now}. /klocka +2d (eller +3h, +30m, +1v, måndag 08:00, "
    "2026-12-07 09:00) flyttar den fram, så att påminnelser och måndagens "
    "veckosammanfattning kommer.\n"
    "Du kan vara:"
)
CONSOLE_PERSON = "@{key}: {name}, {roles}{extra}"
CONSOLE_ROLES = {"asker": "frågeställare", "contact": "kontaktperson", "admin": "administratör"}
CONSOLE_SIDES = {"vard_till_fk": "vården", "fk_till_vard": "FK"}
CONSOLE_UNKNOWN_PERSON = "Jag känner inte till ”@{typed}”. Du kan vara: {people}."
CONSOLE_CLOCK = "Bryggans klocka: {now}."
CONSOLE_CLOCK_MOVED = "Bryggans klocka är nu {now}. Det som hunnit bli dags skickas nu."
CONSOLE_CLOCK_BAD = (
    "Jag förstår inte tiden ”{typed}”. Skriv till exempel /klocka +2d, /klocka +3h, "
    "/klocka måndag 08:00 eller /klocka 2026-12-07 09:00."
)
CONSOLE_NOW_BAD = '”{typed}” är ingen tid; skriv till exempel --now "2026-12-07 09:00".'
CONSOLE_NOW = "{day} kl {time}"
UNKNOWN_USER = (
    "Jag känner inte igen dig ännu. Be en administratör lägga till dig i Bryggans "
    "användarlista, så kan du ställa frågor."
)
INTERNAL_ERROR = (
    "Något gick fel hos mig när jag hanterade det där. Inget har sparats; försök igen om en "
    "stund. Felet är loggat."
)
IDENTITY_NUMBER = (
    "{place} innehåller ett personnummer eller samordningsnummer, så inget är sparat. "
    "Skriv avidentifierat, t.ex. ”kvinna, 45 år”."
)
"""The refusal of a text with an identity number; `place` from IDENTITY_PLACES."""
IDENTITY_PLACES = {
    "question": "Frågetexten",
    "field": "Fältet {field}",
    "thread": "Ditt inlägg i tråden",
    "answer": "Svaret",
    "edit": "Den ändrade texten",
    "pulse_item": "Punkten",
    "pulse_note": "Anteckningen",
    "knowledge_title": "Rubriken",
    "knowledge_text": "Texten till kunskapsbanken",
    "message": "Meddelandet",
}
IDENTITY_NUMBER_PHONE = " Är det ett telefonnummer? Skriv det med mellanrum: 070-123 45 69."
TEXT_MISSING = "Skriv själva frågan efter fälten, till exempel: {example}"
ANSWER_MISSING = "Skriv svaret efter referensen, till exempel: /svara {ref} Ja, det stämmer."
TEXT_TOO_LONG = (
    "Texten är {length} tecken lång; högst {limit} får plats. Korta ner den och försök igen."
)
TOO_MANY_WORDS = (
    "Meddelandet har {count} ord; högst {limit} får plats. Korta ner det och försök igen."
)
WORD_TOO_LONG = (
    "Ett ord i meddelandet är {length} tecken långt; högst {limit} får plats. "
    "Dela upp det eller korta ner det, så försöker jag igen."
)
TOO_MANY_FIELDS = (
    "Meddelandet har {count} fält (nyckel:värde); högst {limit} får plats. "
    "Ta bort dem du inte behöver och försök igen."
)
REF_MISSING = "Ange vilken fråga du menar, till exempel: /{command} F-2026-0042"
REF_UNKNOWN = "Jag hittar ingen fråga med referensen {ref}. Skriv /frågor för att se dina."
UNKNOWN_COMMAND = "Kommandot ”{word}” känner jag inte till. Skriv /hjälp för att se vad jag kan."
UNKNOWN_FIELD = "Fältet ”{field}” känner jag inte till. Giltiga fält: {valid}."
FIELD_MISSING = "Ange {label} med {key}:… Välj bland: {valid}."
FIELD_UNKNOWN = "”{typed}” är ingen {label} jag känner till. Välj bland: {valid}."
FIELD_AMBIGUOUS = "”{typed}” kan vara flera {plural}: {valid}. Skriv lite mer."
BAD_DATE = "Jag förstår inte datumet ”{typed}”. Skriv till exempel 15/12, 15 dec eller 2026-12-15."
PAST_DEADLINE = "Fristen {day} har redan passerat. Ange ett datum från och med i dag."
CONSENT_FUTURE = (
    "Samtycket kan inte vara inhämtat i framtiden ({day}). Ange dagen det inhämtades, "
    "till exempel {examples}."
)
BAD_FIELD_DATE = "Jag förstår inte datumet ”{typed}”. Skriv till exempel {examples}."
DATE_EXAMPLES = "{day}/{month}, {label} eller {iso}"
CONSENT_DATE_EXAMPLES = "i går, {day}/{month} eller {iso}"
BAD_CONSENT = "Samtycke anges som samtycke:muntligt eller samtycke:skriftligt."
NOT_ALLOWED = "Det får bara {who} göra med {ref}. Du kan läsa frågan men inte ändra den."
NOT_ALLOWED_WHO = {
    "handle": "den som har tagit frågan, enhetens kontaktpersoner eller en administratör",
    "reopen": "den som ställde frågan, enhetens kontaktpersoner eller en administratör",
    "answer": "den som ställde frågan, enhetens kontaktpersoner eller en administratör",
    "close": "den som ställde frågan, enhetens kontaktpersoner eller en administratör",
}
ADMIN_ONLY = "Det kan bara en administratör göra."
WRONG_STATUS = "{ref} är {status}, så det går inte att {verb} den nu."
VERB = {
    "ta": "ta",
    "besvarad": "markera som besvarad",
    "stäng": "stänga",
    "återöppna": "återöppna",
    "svara": "svara på",
    "flytta": "flytta",
    "släpp": "släppa",
}
NOT_ALLOWED_DIRECTION = (
    "{ref} går {direction} och hanteras av kontaktpersonerna för den riktningen. "
    "Du kan läsa frågan men inte ändra den."
)
"""The refusal for the unit's contact for the other direction (#12)."""
PERSON_UNKNOWN = "Jag hittar ingen användare som heter ”{typed}”."
PERSON_NOT_CONTACT = "{name} är inte kontaktperson och kan inte ta emot frågor."
PERSON_CANNOT_RECEIVE = (
    "{name} är inte kontaktperson för {unit} åt det hållet ({direction}) och kan inte ta emot "
    "{ref}."
)
PURGED = "(Texten är borttagen enligt gallringsregeln.)"
PURGED_POST = "(Texten är gallrad.)"
"""What Bryggan's own chat posts that quoted a purged text say instead."""
PURGED_REDACTION = "Texten är gallrad."
"""The reason of a Matrix redaction at the purge (Element: "Meddelandet raderades: …")."""
PURGE_NOT_REDACTED = (
    "Bryggan får inte radera sina egna inlägg i rummet {room} på {platform}, så gallrad text "
    "finns kvar i inläggens redigeringshistorik. Ge Bryggan rätt att ta bort meddelanden i "
    "rummet; till dess redigeras inläggen i stället."
)
MESSAGE_DELETED = "(borttaget av den som skrev det)"
ANSWER_EDITED = "Ditt inlägg i {ref} är uppdaterat."


# --- confirmations --------------------------------------------------------------------------

ASKED = "Tack! Din fråga {ref} är registrerad. {route}"
ASKED_DEADLINE = " Frist: {day} (”{typed}”)."
CLAIMED = "Du har tagit {ref}. Svara i tråden eller med /svara {ref} <text>."
ANSWERED = "Ditt svar på {ref} är sparat."
FOLLOWED_UP = "Din följdfråga på {ref} är sparad."
MARKED_ANSWERED = "{ref} är markerad som besvarad."
CLOSED = "{ref} är stängd."
REOPENED = "{ref} är återöppnad."
FORWARDED = "{ref} är flyttad till {name}."
RELEASED = "Du har släppt {ref}. {route}"
RELEASE_NOT_TAKEN = "{ref} är inte tagen av någon, så det finns inget att släppa."
HELPED_YES = "Tack! {ref} är stängd, och vi har noterat att svaret löste din fråga."
HELPED_NO = (
    "Tack för att du sa till. {ref} är tillbaka hos {name}. Skriv gärna i tråden vad som saknas."
)
HELPED_NO_QUEUE = (
    "Tack för att du sa till. {ref} är tillbaka i enhetens kö. Skriv gärna i tråden vad som saknas."
)
HELPED_NOTED = "Tack! Vi har noterat om svaret på {ref} hjälpte."
HELPED_USAGE = (
    "Skriv /hjälpte ja F-… om svaret löste din fråga, eller /hjälpte nej F-… om det inte "
    "gjorde det."
)
HELPED_WHO = "Bara den som ställde {ref} kan säga om svaret hjälpte."
HELPED_NOT_ANSWERED = "{ref} är inte besvarad än, så det finns inget svar att bedöma."
HELPED_PROMPT = " Löste svaret din fråga? Skriv /hjälpte ja {ref} eller /hjälpte nej {ref}."
HELPED_DETAILS = """Säg om svaret på din fråga hjälpte: /hjälpte ja F-… eller /hjälpte nej F-….
Ja stänger frågan. Nej skickar tillbaka den till kontaktpersonen, som får besked.
Bara den som ställde frågan kan svara, och bara när frågan är besvarad."""
RELEASE_DETAILS = """Lämna tillbaka en fråga du har tagit: /släpp F-….
Frågan blir ny igen och går till enhetens kö enligt de vanliga reglerna (någon annan än du),
eller till administratörerna om ingen är tillgänglig."""
ABSENCE_SAVED = "Frånvaro registrerad {start}–{end} (nr {number}).{substitute}"
ABSENCE_SUBSTITUTE = " {name} tar dina nya frågor under tiden."
ABSENCE_SUBSTITUTE_FOR = " {name} tar {owner}s nya frågor under tiden."
ABSENCE_BAD = (
    "Ange frånvaron som /frånvaro <från> <till> [ersättare @namn], till exempel "
    "/frånvaro 15/12 20/12 ersättare @sofia, /frånvaro mån–fre eller /frånvaro v. 51."
)
ABSENCE_ORDER = (
    "Slutdatumet {end} ligger före startdatumet {start}. Skriv första dagen först, till "
    "exempel /frånvaro 7/12 11/12."
)
ABSENCE_PAST = "Frånvaron {start}–{end} har redan passerat."
ABSENCE_LONG = (
    "Frånvaron {start}–{end} blir {days} dagar lång. Stämmer det? Skriv kommandot igen med "
    "bekräfta sist: /frånvaro {typed} bekräfta. Inget är sparat än."
)
ABSENCE_OVERLAP = (
    "{who} redan frånvaro nr {number} {start}–{end}, som överlappar. Inget är sparat. "
    "Ändra den med /frånvaro ändra {number} <från> <till> eller ta bort den med "
    "/frånvaro ta-bort {number}."
)
ABSENCE_YOU_HAVE = "Du har"
ABSENCE_THEY_HAVE = "{name} har"
ABSENCE_SUBSTITUTE_SELF = (
    "Du kan inte ersätta dig själv. Ange en kollega som ersättare, eller ingen: då går "
    "frågorna till enhetens reserv."
)
ABSENCE_SUBSTITUTE_CANNOT = (
    "{name} kan inte ta emot {unit}s frågor {direction}. Ange en kontaktperson eller reserv "
    "för {unit} i den riktningen, eller ingen ersättare: då går frågorna till reserven."
)
ABSENCE_SUBSTITUTE_AWAY = (
    " Obs: {name} är också frånvarande {start}–{end}. Då går frågorna {routes}."
)
ABSENCE_IS_SUBSTITUTE = (
    " Obs: {who} är ersättare för {name} {start}–{end}. Medan båda är borta går frågorna {routes}."
)
ABSENCE_YOU = "du"
NOTICE_SUBSTITUTE_AWAY = (
    "Din ersättare {name} är själv frånvarande {start}–{end}. Medan båda är borta går "
    "frågorna {routes}. Byt ersättare med /frånvaro ändra {number} ersättare @namn."
)
ABSENCE_ROUTE = "för {unit} till {name}"
ABSENCE_ROUTE_NOBODY = (
    "för {unit} till ingen (de blir otilldelade och administratörerna får besked)"
)
ABSENCE_LIST_MINE = "Din frånvaro:"
ABSENCE_LIST_ALL = "Frånvaro nu och framöver:"
ABSENCE_LIST_LINE = "• nr {number} · {start}–{end}{substitute}"
ABSENCE_LIST_LINE_WHO = "• nr {number} · {name} · {start}–{end}{substitute}"
ABSENCE_LIST_SUBSTITUTE = " · ersättare {name}"
ABSENCE_LIST_OTHERS = "Utan enhet"
ABSENCE_LIST_HINT = (
    "Ändra med /frånvaro ändra <nr> <från> <till> [ersättare @namn], ta bort med "
    "/frånvaro ta-bort <nr>."
)
ABSENCE_NONE_MINE = (
    "Du har ingen frånvaro registrerad nu eller framöver. Anmäl med /frånvaro <från> <till> "
    "[ersättare @namn]."
)
ABSENCE_NONE_ALL = "Ingen har frånvaro registrerad nu eller framöver."
ABSENCE_NUMBER_MISSING = (
    "Ange vilken frånvaro du menar med dess nummer, till exempel /frånvaro {verb} 3. "
    "/frånvaro visar numren."
)
ABSENCE_UNKNOWN = "Jag hittar ingen frånvaro nr {number} som du kan ändra. /frånvaro visar dina."
ABSENCE_CHANGED = "Frånvaro nr {number} gäller nu {start}–{end}.{substitute}"
ABSENCE_REMOVED = "Frånvaro nr {number} ({name}, {start}–{end}) är borttagen."
ABSENCE_ASSIGNED = (
    "{name} är frånvarande {start}–{end} och har {count} som väntar: {refs}. "
    "Flytta alla med /flytta alla {person} {target}."
)
ABSENCE_ASSIGNED_TOLD = " Du har {count} kvar; {told} har fått en lista och kan flytta dem."
ABSENCE_TOLD_ADMINS = "administratörerna"
REFS_MORE = " och {count} till"
MOVE_ALL_USAGE = (
    "Skriv /flytta alla <från-person> <till-person>, till exempel /flytta alla anna sofia."
)
MOVE_ALL_WHO = (
    "Bara administratörer, {name} själv och den som frågorna flyttas till kan flytta alla "
    "{name}s frågor."
)
MOVE_ALL_NONE = "{name} har inga öppna frågor att flytta."
MOVE_ALL_SAME = "Frågorna ligger redan hos {name}."
MOVE_ALL_CANNOT = "{name} kan inte ta emot {ref} ({unit}, {direction}). Inget är flyttat."
MOVE_ALL_DONE = "{moved} från {source} till {target}: {refs}."
NOTICE_MOVED_ALL = "{by} har flyttat {count} till dig från {source}: {refs}."
NO_QUESTIONS = "Du har inga öppna frågor just nu."
MY_QUESTIONS = "Dina frågor:"
WAITING_FOR_ME = "Väntar på dig:"
QUESTIONS_FILTERED = "{what} ({count}):"
QUESTIONS_FILTER_WHAT = {
    "otilldelade": "Otilldelade frågor",
    "öppna": "Öppna frågor",
    "stängda": "Stängda frågor",
    "alla": "Alla frågor",
}
QUESTIONS_IN_UNIT = " i {unit}"
QUESTIONS_NONE_FILTERED = "Inga frågor matchar {filters}."
QUESTIONS_FILTER_USAGE = (
    "Jag förstår inte ”{typed}”. /frågor tar otilldelade, öppna, stängda, alla, "
    "enhet:<enhet> och sida N, till exempel /frågor öppna enhet:lund sida 2."
)
QUESTIONS_FILTER_CONTACTS = (
    "Filtret {word} är för kontaktpersoner och administratörer. Skriv /frågor för dina egna."
)
QUESTIONS_NOT_YOUR_UNIT = "Du är inte kontaktperson för {unit}, så du ser inte dess frågor."
STATUS_WAITING_AGAIN = "väntar på svar igen"
"""An answered question brought back by a follow-up or a "nej" (status tagen or ny)."""
CARD_BY = "{at} av {name}"
QUESTIONS_DETAILS = """Dina frågor och, för kontaktpersoner, de som väntar på dig,
de som väntat längst först.
Filter för kontaktpersoner och administratörer (dina enheter; administratörer alla):
otilldelade, öppna, stängda, alla och enhet:<enhet>, gärna flera: /frågor öppna enhet:lund.
Långa listor delas i sidor: /frågor sida 2."""
CATEGORY_SAVED = "Kategorin {slug} heter nu ”{name}”."
CATEGORY_REMOVED = "Kategorin {slug} används inte längre för nya frågor."
CATEGORY_NAME_TOO_LONG = (
    "Kategorins namn är {length} tecken; det får vara högst {limit}. Skriv ett kortare namn."
)
CATEGORY_SLUG_TOO_LONG = (
    "Kortnamnet (<slug>) är {length} tecken; det får vara högst {limit}, till exempel sgi_formaner."
)
CATEGORY_USAGE = (
    "Använd /kategori, /kategori ny <slug> <namn>, /kategori byt <slug> <namn> eller "
    "/kategori ta-bort <slug>."
)


# --- routing --------------------------------------------------------------------------------

ROUTE_PRIMARY = "Till {name}, kontaktperson för {unit}."
ROUTE_PRIMARY_SHARED = "Till {name}, den av {unit}s kontaktpersoner som har minst att göra."
ROUTE_SUBSTITUTE = "Till {name}, som ersätter {absent} (frånvarande t.o.m. {until})."
ROUTE_BACKUP = "Till {name}, reserv för {unit}."
ROUTE_BACKUP_ABSENT = "Till {name}, reserv för {absent} (frånvarande t.o.m. {until})."
ROUTE_TO_ASKER = {
    "primary": ROUTE_PRIMARY,
    "shared": ROUTE_PRIMARY_SHARED,
    "substitute": ROUTE_SUBSTITUTE,
    "backup": ROUTE_BACKUP,
    "backup_absent": ROUTE_BACKUP_ABSENT,
}
ROUTE_TO_YOU = {
    "primary": "Du är kontaktperson för {unit}.",
    "shared": "Du har minst att göra av {unit}s kontaktpersoner.",
    "substitute": "Du ersätter {absent} (frånvarande t.o.m. {until}).",
    "backup": "Du är reserv för {unit}.",
    "backup_absent": "Du är reserv för {absent} (frånvarande t.o.m. {until}).",
}
"""The same routing, told to the contact who gets the question (never her own name)."""
ROUTE_UNASSIGNED = (
    "Ingen kontaktperson är tillgänglig just nu, så frågan är otilldelad. "
    "Administratörerna får besked."
)


# --- notices to contacts and admins ---------------------------------------------------------

NOTICE_NEW = "Ny fråga till dig: {ref} ({category}, {direction}, {unit}). {route}"
NOTICE_UNASSIGNED = "{ref} ({unit}) har ingen tillgänglig kontaktperson. Ta den eller flytta den."
NOTICE_FORWARDED = "{by} har flyttat {ref} till dig ({category}, {unit})."
NOTICE_ANSWER = "{by} har svarat på din fråga {ref}."
NOTICE_FOLLOW_UP = "{by} har skrivit en följdfråga på {ref}."
NOTICE_REOPENED = "{by} har återöppnat {ref}."
NOTICE_FOLLOW_UP_BACK = (
    "{by} har skrivit en följdfråga på {ref}. Frågan är tillbaka hos dig och väntar på svar."
)
NOTICE_TAKEN_OVER = "{by} har tagit över {ref} från dig."
NOTICE_CLAIMED_ASKER = "{by} har tagit din fråga {ref}."
NOTICE_ANSWERED_FOR_YOU = "{by} har svarat på {ref}, som du har."
NOTICE_MARKED_ASKER = "{by} har markerat din fråga {ref} som besvarad."
NOTICE_MARKED_ASSIGNEE = "{by} har markerat {ref} som besvarad."
NOTICE_CLOSED_ASKER = "{by} har stängt din fråga {ref}."
NOTICE_CLOSED_ASSIGNEE = "{by} har stängt {ref}."
NOTICE_RELEASED = "{by} har släppt {ref} ({category}, {unit}). Den går nu till dig."
NOTICE_RELEASED_FROM_YOU = "{by} har släppt {ref}, som du hade."
NOTICE_HELPED_YES = "{by} säger att svaret på {ref} löste frågan. Frågan är stängd."
NOTICE_HELPED_NO = "{by} säger att svaret på {ref} inte löste frågan. Den är tillbaka hos dig."
NOTICE_AUTO_CLOSED = (
    "{ref} var besvarad för {days} sedan och har nu stängts automatiskt."
    " Behöver du mer hjälp kan du återöppna den med /återöppna {ref}."
)
THREAD_ANSWER = "Svar från {name}:\n{text}"
THREAD_FOLLOW_UP = "Följdfråga från {name}:\n{text}"

HELP_INTRO = "Så här använder du Bryggan:"
HELP_OUTRO = (
    "/hjälp <kommando> visar mer om ett kommando. "
    "Skriv aldrig personnummer: frågorna är avidentifierade."
)
ASK_DETAILS = """Ställ en fråga på en rad: fälten som nyckel:värde, sedan själva frågan.
enhet:<enhet> kategori:<kategori> riktning:vård-fk|fk-vård (enhet och riktning kan ha
standardvärden för dig eller kanalen)
valfritt: frist:15/12, samtycke:muntligt|skriftligt (avidentifierad är standard),
samtycke_av:<namn>, samtycke_datum:<datum>, puls:ja (tas upp på nästa pulsmöte)
Exempel: /fråga kategori:sgi Hur påverkas SGI om patienten går ner till 50 %?
Fälten står först (eller sist på raden); frågan börjar vid första ordet som inte hör till
ett fält, och kl:14 mitt i frågan är text. Ett värde med mellanslag skrivs inom
citattecken (samtycke_av:"Anna Holm") eller följs av nästa fält; ett datum läses så långt
det är ett datum (frist:nästa fredag, frist:15 dec). Ett datum utan år är det närmaste:
en frist som passerat eller ett samtycke i framtiden avvisas.
Början av ett värde räcker (kategori:sgi, enhet:hassl). Skriv aldrig personnummer."""
ABSENCE_DETAILS = """Anmäl frånvaro så att dina nya frågor går till någon annan.
/frånvaro 7/12 11/12 ersättare @sofia (även mån–fre, från 7/12 till 11/12, v. 51,
vecka 51–52; veckodagar och veckor betyder de kommande). Utan ersättare går frågorna till
enhetens reserv. Ersättaren ska kunna ta emot samma enheters frågor i samma riktning.
Längre än 60 dagar: lägg till bekräfta sist.
/frånvaro visar din frånvaro nu och framöver med nummer (administratörer: allas, per enhet).
/frånvaro ändra 3 8/12 12/12 [ersättare @namn] ändrar, /frånvaro ta-bort 3 (eller avbryt 3)
tar bort. Frågor som redan ligger hos dig listas för ersättaren och administratörerna, som
kan flytta alla med /flytta alla <från-person> <till-person>."""
FORWARD_DETAILS = """Lämna över en fråga: /flytta F-… @person.
Flytta alla öppna frågor från en person (till exempel någon som är frånvarande):
/flytta alla <från-person> <till-person>, till exempel /flytta alla anna sofia. Den som tar
emot ska vara kontaktperson eller reserv för frågornas enhet och riktning."""
ANSWER_DETAILS = (
    "Svara eller skriv en följdfråga. Enklast är att skriva direkt i frågekortets tråd; "
    "där räcker också /svara <text>."
)
REF_DETAILS = "{summary}. I frågekortets tråd kan referensen utelämnas: /{name} räcker."
UNKNOWN_COMMAND_SUGGEST = (
    "Kommandot ”{word}” känner jag inte till. Menade du /{suggestion}? "
    "Skriv /hjälp för att se vad jag kan."
)
QUESTIONS_COUNTS = "{waiting} väntar på dig, {mine} egna"
QUESTIONS_PAGE = "Sida {page} av {pages} ({counts}), de som väntat längst först."
QUESTIONS_NEXT_PAGE = "Skriv /frågor sida {next} för nästa sida."
QUESTIONS_NEXT_PAGE_FILTERED = "Skriv /frågor {filters} sida {next} för nästa sida."
QUESTIONS_NO_SUCH_PAGE = "Det finns ingen sida {page}. Sista sidan är {pages}."
PERSON_NOT_IN_BRYGGAN = "Den personen finns inte i Bryggan. Välj en kontaktperson."
STATISTICS_SUMMARY = "frågor och svarstider, t.ex. /statistik förra veckan, kvartal, 2026Q4"
PULSE_SUMMARY = (
    "pulsmöten: datum, dagordning och anteckningar (puls:ja i /fråga tar upp frågan där)"
)
CARD_LABELS = {
    "unit": "Enhet",
    "category": "Kategori",
    "direction": "Riktning",
    "consent": "Samtycke",
    "deadline": "Frist",
    "asker": "Från",
    "assignee": "Handläggs av",
}
"""One label set for a question's card on every platform (and the form's fields)."""
UNASSIGNED = "ingen (otilldelad)"
NO_DEADLINE = "ingen"
BAD_FORM = "Formuläret kom fram ofullständigt. Stäng det och försök igen."
POST_FAILED = (
    "Kortet för {ref} har inte gått att posta i enhetens kanal på {hours}. Frågan är "
    "sparad och administratörerna får besked; kortet postas när felet är åtgärdat."
)
OUTBOX_BLOCKED = (
    "Bryggan kan inte posta i {platform}: {advice} Inläggen väntar och skickas när det går "
    "igen (`bryggan outbox` visar dem, `bryggan outbox retry` försöker direkt)."
)
OUTBOX_PARKED = (
    "Bryggan har inte kunnat posta i {platform} på {hours} ({error}), så inlägg väntar "
    "nu utan nya försök. `bryggan outbox` visar dem; `bryggan outbox retry` skickar dem när "
    "felet är åtgärdat."
)
OUTBOX_CARD_PARKED = "kortet kom inte fram; skickas med kortet"
PLATFORM_NAMES = {"slack": "Slack", "matrix": "Matrix", "console": "konsolen"}
OUTBOX_EMPTY = "Inget inlägg väntar: allt har gått fram."
OUTBOX_LINE = "{id}  {platform}  {kind}  {ref}  {attempts} försök  {state}  {error}"
OUTBOX_NEXT_AT = "nästa försök {at}"
OUTBOX_PARKED_AT = "parkerat {at}"
OUTBOX_KINDS = {
    "card": "kort",
    "card_update": "kortuppdatering",
    "thread": "trådinlägg",
    "notice": "meddelande",
    "channel": "kanalinlägg",
    "purge_edit": "gallring i chatten",
}
OUTBOX_RETRIED = "Skickas igen: {posts} (en körande Bryggan tar dem inom några sekunder)."
OUTBOX_DROPPED = "Borttaget: {posts}."
OUTBOX_DROP_NEEDS_IDS = "Ange vilka inlägg som ska bort: bryggan outbox drop <id> …"


# --- Slack (bot/slack): labels of the card, the question form and the Home tab -------------

SLACK_CHANNEL_ERRORS = {
    "not_in_channel": (
        "Bryggan är inte medlem i kanalen {channel}. Bjud in appen där (/invite @Bryggan)."
    ),
    "channel_not_found": (
        "kanalen {channel} finns inte, eller är privat och Bryggan är inte inbjuden. "
        "Kontrollera enhetens kanal-id i configen eller bjud in appen i kanalen."
    ),
    "is_archived": (
        "kanalen {channel} är arkiverad. Återställ den eller ge enheten en ny kanal i configen."
    ),
}
"""Slack's errors for a channel that only a person can fix, as advice for the admins."""
MATRIX_FORBIDDEN = (
    "Bryggan får inte skriva i Matrix-rummet {room} (den är inte medlem där, eller har för låg "
    "behörighet). Bjud in Bryggan i rummet igen, eller ge den rätt att skriva."
)
SLACK_CANNOT_DM_ERRORS = frozenset({"user_not_found", "user_disabled", "cannot_dm_bot"})
SLACK_CANNOT_DM = (
    "{person} kan inte få direktmeddelanden från Bryggan ({error}). Kontrollera personens "
    "Slack-id under [[people]] i configen."
)

SLACK_HELP_INTRO = """I Slack:
/fraga – öppnar formuläret för en ny fråga (eller skriv frågan på en rad, se nedan)
/bryggan <kommando> – allt annat, till exempel /bryggan frågor eller /bryggan ta F-2026-0001
Svara genom att skriva i frågekortets tråd. Knapparna på kortet gör samma sak som kommandona,
och fliken Hem visar dina frågor."""
SLACK_LABEL_QUESTION = "Frågan"
SLACK_LABEL_CONSENT_FORM = "Muntligt eller skriftligt samtycke?"
SLACK_LABEL_CONSENT_BY = "Vem inhämtade samtycket?"
SLACK_LABEL_CONSENT_DATE = "När inhämtades det?"
SLACK_CONSENT_BY_HINT = "Lämna tomt om det var du"
SLACK_CONSENT_NONE = "Avidentifierad"
SLACK_CONSENT_GIVEN = "Med samtycke"
SLACK_CONSENT_FORMS = {"muntligt": "Muntligt", "skriftligt": "Skriftligt"}
SLACK_BUTTON_CLAIM = "Ta"
SLACK_BUTTON_ANSWERED = "Besvarad"
SLACK_BUTTON_CLOSE = "Stäng"
SLACK_BUTTON_FORWARD = "Flytta"
SLACK_BUTTON_REOPEN = "Återöppna"
SLACK_HELPED_QUESTION = "*Till den som frågade:* Löste svaret din fråga?"
SLACK_BUTTON_HELPED_YES = "Ja, det löste frågan"
SLACK_BUTTON_HELPED_NO = "Nej"
SLACK_BUTTON_RELEASE = "Släpp"
SLACK_CANCEL = "Avbryt"
SLACK_CONFIRM_CLOSE_TITLE = "Stänga frågan?"
SLACK_CONFIRM_CLOSE_TEXT = "{ref} stängs. Den som ställde frågan kan återöppna den."
SLACK_FORM_TITLE = "Ny fråga"
SLACK_FORM_SUBMIT = "Skicka"
SLACK_FORM_PRIVACY = (
    "Skriv aldrig personnummer eller namn: beskriv personen avidentifierat, till exempel "
    "”kvinna, 45 år”."
)
SLACK_FORM_FAILED = (
    "Formuläret gick inte att öppna just nu. Försök igen, eller skriv frågan på en rad: "
    "/fraga enhet:<enhet> kategori:<kategori> <frågan>"
)
SLACK_THANKS_TITLE = "Tack!"
SLACK_FORWARD_TITLE = "Flytta frågan"
SLACK_FORWARD_LABEL = "Vem ska ta över {ref}?"
SLACK_FORWARD_HINT = "Välj en kontaktperson"
SLACK_THREAD_REFUSED = (
    "Redigera bort numret (då sparas inlägget) eller ta bort meddelandet: jag kan inte radera "
    "andras meddelanden."
)
"""After the identity-number refusal of a thread reply (which already says nothing is saved)."""
SLACK_HOME_TITLE = "Bryggan"
SLACK_HOME_ASK = "Ställ en fråga"
SLACK_HOME_MINE = "Mina frågor"
SLACK_HOME_NONE = "Inga just nu."
SLACK_HOME_MORE = "Det finns fler. Skriv /frågor för hela listan."
SLACK_HOME_DEADLINE = "frist {day}"
SLACK_HOME_FOOTER = "Svara i frågekortets tråd i kanalen. /hjälp visar alla kommandon."


# --- Matrix (Element rooms) -----------------------------------------------------------------

MATRIX_ASK_GUIDE = (
    "Så ställer du en fråga: skriv allt på en rad efter /fråga. Fälten skrivs som "
    "nyckel:värde, och bara själva frågan måste finnas med.\n"
    "Exempel: /fråga kategori:sgi Hur påverkas SGI om patienten går ner till 50 %?\n"
    "enhet: {units}{unit_hint}\n"
    "kategori: {categories}\n"
    "riktning: vård-fk eller fk-vård{direction_hint}\n"
    "frist (valfri): till exempel frist:15/12\n"
    "samtycke (valfritt): samtycke:muntligt eller samtycke:skriftligt; utan det är frågan "
    "avidentifierad\n"
    "Början av ett värde räcker (kategori:sgi, enhet:hassl) och å, ä, ö går att skriva som a "
    "och o. Skriv aldrig personnummer."
)
MATRIX_ASK_UNIT_HINT = " (i det här rummet: {unit})"
MATRIX_ASK_DIRECTION_HINT = " (för dig: {direction})"
MATRIX_CARD_HINT = "Svara i tråden. Kontaktpersonen tar frågan med /ta {ref}."
MATRIX_HELPED_HINT = (
    "Till den som frågade: löste svaret din fråga? Reagera med 👍 eller 👎 på kortet "
    "(eller skriv /hjälpte ja {ref})."
)
MATRIX_REDACTED = "Jag har tagit bort ditt meddelande ur rummet."
MATRIX_NOT_REDACTED = (
    "Jag får inte ta bort meddelanden i det här rummet, så ta bort ditt meddelande själv "
    "(Ta bort i meddelandets meny)."
)
MATRIX_REDACTION_REASON = "Innehöll ett personnummer eller samordningsnummer"
MATRIX_SAVED_REACTION = "✅"
MATRIX_CONTINUED = "(fortsättning {part} av {parts})"
MATRIX_INVITE_DECLINED = (
    "Bryggan går bara med i rum på inbjudan av personer och servrar som administratören har "
    "godkänt. Be en administratör lägga till dig om Bryggan ska vara med här."
)
MATRIX_REMOVED = (
    "Bryggan har {what} Matrix-rummet för {unit} ({room}) av {by}{reason}. Frågekort och "
    "inlägg till enheten kan inte postas där förrän Bryggan är med igen. {fix} "
    "Kort som inte kom fram postas då."
)
MATRIX_KICKED = "tagits bort ur"
MATRIX_BANNED = "stängts av från"
MATRIX_REMOVED_REASON = " med motiveringen ”{reason}”"
MATRIX_KICK_FIX = "Bjud in {bot} i rummet igen."
MATRIX_BAN_FIX = "Häv avstängningen av {bot} och bjud sedan in den i rummet igen."
MATRIX_TOO_LARGE = (
    "Svaret blev för stort för ett Matrix-meddelande och kunde inte skickas. "
    "Försök med en mindre del, till exempel /frågor sida 2 eller /visa för en fråga i taget."
)


# --- Pulse meetings and reminders ------------------------------------------------------------

PULSE_HELP = """Pulsmöten:
/puls ny <när> enheter:<enhet>,<enhet> [länk:<url>] [helgdag:hoppa|flytta] [namn:"…"]
   en ny mötesserie (administratörer), t.ex. /puls ny varannan torsdag kl 13 enheter:lund
/puls lista – alla mötesserier, med sina nummer (pulsmöte 1, pulsmöte 2 …)
/puls nästa [pulsmöte 2] – kommande datum
/puls flytta [pulsmöte 2] <datum> till <ny tid> – flytta ett tillfälle (administratörer)
/puls ställ in [pulsmöte 2] <datum> – ställ in ett tillfälle (administratörer)
/puls avsluta [pulsmöte 2] – avsluta en mötesserie (administratörer)
/puls punkt [pulsmöte 2] <text> eller /puls punkt F-… – en punkt till nästa dagordning
/puls dagordning [pulsmöte 2] – det som hittills finns till nästa dagordning
/puls anteckning [pulsmöte 2] <text> – en kort anteckning från det senaste mötet;
   /puls anteckningar [pulsmöte 2] visar dem
Numret skrivs som i /puls lista (pulsmöte 2) och behövs bara när du har flera pulsmöten.
En fråga kommer med på dagordningen med puls:ja i /fråga. Skriv aldrig personnummer."""
PULSE_UNKNOWN = "”{word}” känner jag inte till för pulsmöten. Skriv /puls hjälp."
PULSE_LABEL = "pulsmöte {number}"
PULSE_LABEL_NAMED = "pulsmöte {number} ({name})"
PULSE_HOLIDAY_RULE = {
    "skip": "Datum på röda dagar, julafton, midsommarafton och nyårsafton blir inte av.",
    "move": "Datum på röda dagar, julafton, midsommarafton och nyårsafton flyttas till nästa "
    "vardag.",
}
PULSE_WEEKEND_RULE = {
    "skip": "Ett datum i månaden som är en lördag eller söndag blir inte heller av.",
    "move": "Ett datum i månaden som är en lördag eller söndag flyttas också till nästa vardag.",
}
"""Added for a series on a date of the month ("den 15:e varje månad")."""
PULSE_CREATED = (
    "Pulsmöte {number} är skapat för {units}.\n{echo}.\n{holiday}\n"
    "Påminnelser: {reminders}; dagordningen {agenda}.\nKommande:\n{dates}"
)
PULSE_AGENDA_WHEN = "{days} arbetsdagar före kl {time}"
PULSE_AGENDA_WHEN_ONE = "arbetsdagen före kl {time}"
PULSE_AGENDA_WHEN_SAME = "samma dag kl {time}"
PULSE_REMINDER_DAYS = "{days} arbetsdagar före kl {time}"
PULSE_REMINDER_DAY = "dagen före kl {time}"
PULSE_REMINDER_MINUTES = "{minutes} min före"
PULSE_NO_REMINDERS = "inga"
PULSE_WHEN = "{day} kl {time}"
PULSE_DATE_LINE = "• {when}"
PULSE_DATE_MOVED = "• {when} (flyttat från {planned})"
PULSE_DATE_HOLIDAY_MOVED = "• {when} (flyttat från {planned}, {holiday})"
PULSE_DATE_CANCELLED = "• {planned}: inställt"
PULSE_DATE_HOLIDAY_SKIPPED = "• {planned}: blir inte av ({holiday})"
PULSE_NO_DATES = "• inga fler datum"
PULSE_LIST_EMPTY = "Det finns inga pulsmöten ännu. En administratör skapar ett med /puls ny …"
PULSE_LIST_HEADER = "Pulsmöten:"
PULSE_LIST_LINE = "• {label}: {pattern} · {units} · nästa {next}{link}"
PULSE_NEXT_HEADER = "{label}: {pattern} · {units}"
PULSE_LINK_SUFFIX = " · {link}"
PULSE_NONE = "inget planerat"
PULSE_BAD_RULE = (
    "Jag förstår inte ”{typed}” som ett återkommande möte. Skriv till exempel varannan torsdag "
    "kl 13, första tisdagen i månaden kl 10 eller var tredje vecka på måndag kl 9."
)
PULSE_START_PAST = (
    "Starten {day} har redan passerat. Skriv en start från och med i dag, till exempel "
    "varannan torsdag kl 13 från 14 januari."
)
PULSE_UNITS_MISSING = "Ange enheterna med enheter:<enhet>,<enhet>. Välj bland: {valid}."
PULSE_BAD_LINK = "Länken ska vara en webbadress som börjar med https:// eller http://."
PULSE_BAD_HOLIDAY = "Ange helgdag:hoppa (datumet blir inte av) eller helgdag:flytta (nästa vardag)."
PULSE_BAD_FIELD = "Fältet ”{field}” känner jag inte till för pulsmöten. Giltiga fält: {valid}."
PULSE_SERIES_UNKNOWN = "Jag hittar inget pulsmöte {number}. Skriv /puls lista."
PULSE_SERIES_WHICH = "Vilket pulsmöte menar du? Skriv till exempel {example}. Finns: {valid}."
PULSE_NO_SERIES = "Det finns inget pulsmöte för dig ännu. Skriv /puls lista för att se alla."
PULSE_NOT_MEMBER = (
    "Det kan bara kontaktpersoner och medarbetare på {units} och administratörer göra för {label}."
)
PULSE_DATE_MISSING = "Ange vilket datum du menar, till exempel {example}."
PULSE_NO_OCCURRENCE = "{label} har inget möte {day}. Kommande datum:\n{dates}"
PULSE_MOVE_USAGE = (
    "Skriv /puls flytta <datum> till <ny tid>, till exempel /puls flytta 24/12 till 23/12 kl 13."
)
PULSE_WHICH_TIME = "{question} Skriv datum och tid, till exempel {example}."
PULSE_MOVE_PAST = "Den nya tiden, {when}, har redan passerat."
PULSE_MOVE_TOO_FAR = (
    "Ett möte kan flyttas högst {days} dagar från sitt datum ({planned}). Ställ hellre in det "
    "med /puls ställ in."
)
PULSE_ALREADY_OFF = "{label} {day} är redan inställt."
PULSE_ALREADY_HELD = "{label} {day} har redan börjat eller varit."
PULSE_ENDED_ALREADY = "{label} är redan avslutat."
PULSE_MOVED = "{echo}.\n{label} {old} är flyttat till {new}. Enheterna får besked."
PULSE_CANCELLED = "{label} {old} är inställt. Enheterna får besked."
PULSE_ENDED = "{label} är avslutat. Inga fler påminnelser skickas."
PULSE_ITEM_MISSING = (
    "Skriv punkten efter kommandot, till exempel /puls punkt Genomgång av utfärdade "
    "läkarutlåtanden."
)
PULSE_NOTE_MISSING = (
    "Skriv anteckningen efter kommandot, till exempel /puls anteckning Nästa gång: SA-ärenden."
)
PULSE_TOO_LONG = "Texten är {length} tecken lång; högst {limit} får plats här."
PULSE_ITEM_ADDED = "Punkten är med på dagordningen till {label} {when}."
PULSE_QUESTION_ADDED = "{ref} är med på dagordningen till {label} {when}."
PULSE_QUESTION_ALREADY = "{ref} står redan på dagordningen till {label}."
PULSE_QUESTION_OTHER_UNIT = "{ref} hör till {unit}, som inte är med på {label}."
PULSE_NOTHING_AHEAD = "{label} har inga fler datum, så punkten kan inte komma med."
PULSE_NOTE_SAVED = "Anteckningen är sparad för {label} {when}."
PULSE_NO_MEETING_HELD = "{label} har inte haft något möte ännu, så det finns inget att anteckna."
PULSE_NOTES_HEADER = "Anteckningar från {label} {when}:"
PULSE_NOTES_EMPTY = "Inga anteckningar från {label} {when} ännu. Skriv /puls anteckning <text>."
PULSE_NOTE_LINE = "• {text} ({name})"
PULSE_BAD_FLAG = "Ange puls:ja för att ta upp frågan på pulsmötet (eller puls:nej)."
PULSE_FLAG_ADDED = " Den tas upp på {label} {when}."
PULSE_FLAG_NO_SERIES = " {unit} har inget pulsmöte ännu, så frågan kommer inte på någon dagordning."

# posts in the units' channels
PULSE_ANNOUNCE_NEW = (
    "📅 Nytt pulsmöte för {units}: {pattern}, första gången {first}.{link}\n"
    "Lägg till punkter på dagordningen med /puls punkt <text>."
)
PULSE_ANNOUNCE_MOVED = "📅 {label} {old} är flyttat till {new}.{link}"
PULSE_ANNOUNCE_CANCELLED = "📅 {label} {old} är inställt. Nästa möte: {next}."
PULSE_ANNOUNCE_ENDED = "📅 {label} ({pattern}) är avslutat. Tack för alla möten!"
PULSE_HOLIDAY_SKIPPED = (
    "📅 {label} {day} infaller på {holiday} och blir inte av. Nästa möte: {next}."
)
PULSE_HOLIDAY_MOVED = "📅 {label} {day} infaller på {holiday} och flyttas till {when}.{link}"
PULSE_WEEKEND = {5: "en lördag", 6: "en söndag"}
"""Why a date of a monthly series (den 15:e varje månad) follows the holiday rule."""
PULSE_REMIND_DAY = "⏰ Påminnelse: {label} {when} ({units}).{link}"
PULSE_REMIND_SOON = "⏰ {label} börjar om {minutes}, kl {time} ({units}).{link}"
PULSE_TOMORROW = "i morgon, {day}"
PULSE_TODAY = "i dag, {day}"
PULSE_MOVED_FROM = " (flyttat från {planned})"
PULSE_LINK = "\nLänk: {link}"
PULSE_AGENDA_HEADER = "📋 Dagordning för {label} {when} ({units}){link}"
PULSE_AGENDA_QUESTIONS = "Frågor till mötet:"
PULSE_AGENDA_ITEMS = "Punkter:"
PULSE_AGENDA_OVERDUE = "Obesvarade frågor över tidsgränsen:"
PULSE_AGENDA_OVERDUE_MANY = (
    "Obesvarade frågor över tidsgränsen: {count} st. De {shown} som väntat längst:"
)
PULSE_AGENDA_EMPTY = "Inga anmälda punkter ännu. Lägg till med /puls punkt <text>."
PULSE_AGENDA_STATEMENTS = "Glöm inte att skicka listan över utfärdade läkarutlåtanden före mötet."
PULSE_AGENDA_QUESTION = "• {ref} · {category} · {unit} · {status}"
PULSE_AGENDA_OVERDUE_LINE = "• {ref} · {category} · {unit} · {status} · väntat {hours}"
PULSE_AGENDA_ITEM = "• {text} ({name})"
PULSE_AGENDA_PREVIEW = "Till dagordningen för {label} {when} hittills:"

# question reminders and escalation (notices to people)
SLA_REMIND = (
    "⏰ {ref} ({category}, {unit}) väntar på att tas om hand; den ställdes {asked}. "
    "Ta den med /ta {ref} eller lämna över den med /flytta {ref} @person."
)
SLA_REMIND_UNASSIGNED = (
    "⏰ {ref} ({category}, {unit}) har inte tagits av någon och har väntat sedan {asked}. "
    "Ta den med /ta {ref} eller flytta den med /flytta {ref} @person."
)
SLA_ESCALATE = (
    "⚠️ {ref} ({category}, {unit}) har inte tagits inom {hours}; den ställdes "
    "{asked} och {assignee}. Ta den med /ta {ref} eller flytta den med "
    "/flytta {ref} @person."
)
SLA_WITH = "väntar hos {name}"
SLA_NOBODY = "ingen har tagit den"
DEADLINE_REMIND = (
    "⏰ {ref} ({category}, {unit}) har frist {deadline} och är inte besvarad än. "
    "Svara med /svara {ref} <text>."
)
SLA_DIGEST = (
    "⏰ {count} väntar på dig: {refs}.\n{lines}\n"
    "Ta en med /ta {ref}, lämna över den med /flytta {ref} @person eller svara med "
    "/svara {ref} <text>."
)
SLA_DIGEST_LINE = "• {ref} ({category}, {unit}): {why}"
SLA_DIGEST_WHY = {
    "remind": "inte tagen än, ställd {asked}",
    "unassigned": "ingen har tagit den, ställd {asked}",
    "escalate": "inte tagen inom tidsgränsen, ställd {asked}",
    "deadline": "frist {deadline}, inte besvarad än",
}
QUEUED_LATE = "(Försenat meddelande, skulle ha kommit {when}.) "
"""Before a reminder that waited in the outbox (a stop, an outage) and still applies."""


# --- Statistics, weekly summary, reports and exports (handlers/statistics*, bot/reports) ----

STAT_WEEK_LABEL = "v. {week} {year} ({first}–{last})"
STAT_QUARTER_LABEL = "kvartal {number} {year}"
STAT_TITLE = "📊 Statistik {period} · {scope}"
STAT_OWN = "dina egna frågor"
STAT_NO_UNITS = "inga enheter"
STAT_NOTHING = "Inga frågor ställdes under {period} eller perioden före."
STAT_NOTHING_NOW = "Inga frågor ställdes under {period}; under {previous} ställdes {count}."
STAT_SUMMARY_TOTALS = "Frågor: {asked} ({compared}) · hanterade {handled} · öppna {open}"
STAT_SUMMARY_BEFORE = "{previous}: {count}"
STAT_SUMMARY_BEFORE_PARTIAL = "samma del av {previous}: {count}"
STAT_SUMMARY_TIMES = "Mediantid till svar {answer}, till första reaktion {first}"
STAT_SUMMARY_TIMES_BEFORE = " (förra perioden {median})"
STAT_SUMMARY_NO_ANSWERS = "Ingen av frågorna är besvarad ännu."
STAT_SUMMARY_HELPED = (
    "Svaret löste frågan i {percent} % av fallen ({helped} av {rated} som sa ja eller nej)"
)
STAT_SUMMARY_TOP = "Flest frågor: {categories}"
STAT_SUMMARY_TABLE_HINT = "Tabeller per kategori, riktning och enhet: /statistik tabell{arguments}"
STAT_TABLE_WORDS = ("tabell", "tabeller")
STAT_TABLE_CATEGORY = "Per kategori"
STAT_TABLE_DIRECTION = "Per riktning"
STAT_TABLE_UNIT = "Per enhet"
STAT_TABLE_TIMES = "Svarstider per enhet"
STAT_ALL_UNITS = "alla enheter"
STATISTICS_USAGE = "[tabell] [period] [enhet:<enhet>]"
STATISTICS_DETAILS = (
    "Frågor, hanterade, öppna, mediantid till svar och förändringen mot perioden före, för "
    "de enheter du ser (administratörer alla, kontaktpersoner sina, andra sina egna frågor). "
    "Utan period: innevarande månad. Perioder: denna vecka, förra veckan, vecka 53, månad, "
    "oktober, kvartal, förra kvartalet, 2026Q4, i år, 2026, från 1/10 till 31/12.\n"
    "/statistik tabell … visar också tabellerna per kategori, riktning och enhet.\n"
    "enhet:<enhet> begränsar till en enhet."
)
STAT_COL_CATEGORY = "Kategori"
STAT_COL_DIRECTION = "Riktning"
STAT_COL_UNIT = "Enhet"
STAT_COL_ASKED = "Frågor"
STAT_COL_HANDLED = "Hanterade"
STAT_COL_OPEN = "Öppna"
STAT_COL_PREVIOUS = "Förra"
STAT_TIMES_HEADERS = ("Svarstider", "Reaktion", "90 %", "Svar", "90 %")
STAT_REVERSED_PERIOD = (
    "Perioden går baklänges: {first} kommer efter {last}. Skriv den tidigaste dagen först "
    "(med år om den ligger ett annat år)."
)
STAT_BAD_PERIOD = (
    "Jag förstår inte perioden ”{typed}”. Skriv till exempel /statistik denna vecka, förra "
    "veckan, månad, kvartal, i år, vecka 53, okt 2026, 2026Q4 eller från 1/10 till 31/12."
)
STAT_UNIT_NOT_VISIBLE = "Du kan bara se statistik för {units}."
DURATION_UNDER_MINUTE = "< 1 min"
"""Reads right after any frame: "Mediantid till svar < 1 min", "90 % < 1 min"."""

WEEKLY_TITLE = "📊 Veckosammanfattning {week} · {scope}"
WEEKLY_ALL_UNITS = "alla enheter"
WEEKLY_NONE = "Inga nya frågor förra veckan."
WEEKLY_LATE = "(försenad)"
WEEKLY_MISSED = (
    "Veckosammanfattningen för v. {week} {year} postades inte: Bryggan var inte igång när den "
    "skulle ut ({when}), och den postas bara upp till {days} för sent. "
    "Skriv /statistik v. {week} {year} för att se den."
)
WEEKLY_TOTALS = "Förra veckan kom {asked}; {handled} av dem är redan hanterade."
WEEKLY_SINCE_START = "Sedan start: {count}. Öppna nu: {open}, varav {overdue} efter frist."
WEEKLY_CHART = "Diagrammet visar frågorna per kategori vecka för vecka ({weeks})."
WEEKLY_CHART_TITLE = "Frågor per kategori · {scope}"
WEEKLY_CHART_WEEKS = "v. {first}–{last} {year} · {count}"
WEEKLY_CHART_WEEKS_YEARS = "v. {first} {first_year} – v. {last} {last_year} · {count}"
WEEKLY_CHART_AXIS = "Antal frågor"
WEEKLY_CHART_WEEK_AXIS = "Vecka"
WEEKLY_CHART_OTHERS = "Övriga kategorier ({count})"

REPORT_TITLE = "Bryggan: frågor {period}"
REPORT_INTRO = (
    "Frågor mellan vuxenpsykiatrin och Försäkringskassan som ställdes i Bryggan under "
    "{period}, jämfört med {previous}. Hanterade = besvarade eller stängda; öppna = ännu "
    "inte besvarade (läget {today}). Endast anonyma uppgifter: inga frågetexter och inga "
    "personuppgifter."
)
REPORT_OVERVIEW = "Översikt"
REPORT_BY_CATEGORY = "Per kategori"
REPORT_BY_DIRECTION = "Per riktning"
REPORT_BY_UNIT = "Per enhet"
REPORT_BY_MONTH = "Per månad"
REPORT_CATEGORY_BY_UNIT = "Kategori per enhet"
REPORT_TIMES = "Svarstider"
REPORT_TIMES_NOTE = (
    "Första reaktion: tills frågan togs eller besvarades. Svar: tills det första svaret "
    "(eller tills frågan markerades som besvarad). Kalendertid, median och 90:e percentil."
)
REPORT_WORKLOAD = "Arbetsbelastning per kontaktperson"
REPORT_WORKLOAD_NOTE = "Frågor som ställdes under perioden, efter vem som har dem nu."
REPORT_COL_TOTAL = "Totalt"
REPORT_COL_SHARE = "Andel"
REPORT_COL_PREVIOUS = "Förra perioden"
REPORT_COL_CHANGE = "Förändring"
REPORT_COL_MONTH = "Månad"
REPORT_COL_CONTACT = "Kontaktperson"
REPORT_COL_FIRST_MEDIAN = "Första reaktion, median"
REPORT_COL_FIRST_P90 = "Första reaktion, 90 %"
REPORT_COL_ANSWER_MEDIAN = "Svar, median"
REPORT_COL_ANSWER_P90 = "Svar, 90 %"
REPORT_COL_ANSWERED = "Besvarade"
REPORT_ROW_ASKED = "Ställda frågor"
REPORT_ROW_HANDLED = "varav hanterade"
REPORT_ROW_OPEN = "varav öppna"
REPORT_FOOTER = "Skapad av Bryggan {today}."
REPORT_UNASSIGNED = "Ingen kontaktperson (inte tagna)"
REPORT_CHART_QUESTIONS = "Antal frågor"
REPORT_CHART_HOURS = "Timmar"
REPORT_NOTE_ANSWERED = (
    "Besvarade {answered} av de {asked} ställda frågorna har fått svar; hanterade är "
    "{handled}. Besvarade {answered} = hanterade {handled}, minus {closed} som stängdes utan "
    "svar, plus {reopened} som besvarades men har öppnats igen och nu räknas som öppna."
)
REPORT_NOTE_SHARES = (
    "Andelarna är avrundade till hela procent och blir därför tillsammans {sum} %, inte 100 %."
)
REPORT_NOTE_WORKLOAD = (
    "Totalt {asked} är lika många som de ställda frågorna i översikten: {unassigned} som "
    "ingen har tagit står under ”{label}”."
)
REPORT_NOTE_CATEGORY_UNIT = "Totalt per enhet är lika många som frågorna i tabellen Per enhet."
REPORT_NOTE_MONTHS = "Månadernas summa är lika stor som de ställda frågorna i översikten."

EXPORT_COLUMNS = (
    "Referens",
    "Enhet",
    "Kategorikod",
    "Kategori",
    "Riktning",
    "Status",
    "Samtycke",
    "Samtyckesform",
    "Frist",
    "Ställd",
    "Tagen",
    "Första svar",
    "Besvarad",
    "Stängd",
    "Återöppnad",
    "Minuter till första reaktion",
    "Minuter till svar",
)
EXPORT_DONE = "Exporterade {count} till {path}."
EXPORT_SHEET = "Frågor"
REPORT_DONE = "Rapporten är sparad i {path}."
CLI_BAD_DATE = "”{typed}” är inget datum; skriv till exempel 2026-10-01."
CLI_BAD_QUARTER = "”{typed}” är inget kvartal; skriv till exempel 2026Q4."

# --- knowledge bank (/kunskap, /sök) ----------------------------------------------------------

KNOWLEDGE_SUMMARY = "sök i kunskapsbanken, spara ett besvarat svar som kunskap"
KNOWLEDGE_SEARCH_SUMMARY = "sök i kunskapsbanken"
KNOWLEDGE_SAVE_SUMMARY = "spara en besvarad fråga i kunskapsbanken"
KNOWLEDGE_RESOLVED_SUMMARY = "en post i kunskapsbanken besvarade din fråga: den stängs"
KNOWLEDGE_USAGE = "<sökord> | spara F-… <rubrik> | visa K-… | löste F-… K-… | granska"
KNOWLEDGE_DETAILS = (
    "/kunskap <sökord> – sök i kunskapsbanken (de tre bästa; sida:2 visar fler)\n"
    "/sök <sökord> – samma sak\n"
    "/kunskap visa K-12 – visa en kunskapspost\n"
    "/kunskap spara F-2026-0001 – visa frågan och svaret som utkast\n"
    "/kunskap spara F-2026-0001 <rubrik> | <text> | bekräftat – spara texten, omskriven som "
    "allmän kunskap; ”bekräftat” betyder att den inte handlar om en enskild person\n"
    "/kunskap löste F-2026-0001 K-12 – posten besvarade din fråga: frågan stängs\n"
    "/kunskap granska – poster som ska granskas; /kunskap granskad K-12 – granskad i dag\n"
    "Administratörer: /kunskap ändra K-12 <rubrik> | <text>, /kunskap arkivera K-12, "
    "/kunskap slå ihop K-12 K-7 (K-12 går upp i K-7)"
)
KNOWLEDGE_SEARCH_MISSING = "Skriv vad du söker efter, till exempel /sök SGI deltid."
KNOWLEDGE_NO_HITS = (
    "Inget i kunskapsbanken passar ”{query}”. Prova andra ord, eller ställ frågan med /fråga."
)
KNOWLEDGE_HITS = "Kunskapsbanken om ”{query}”:"
KNOWLEDGE_HIT = "{label} {title} ({category})\n  {excerpt}"
KNOWLEDGE_MORE = "Fler träffar: /sök {query} sida:{page}"
KNOWLEDGE_SHOW_HINT = "Hela texten: /kunskap visa K-…"
KNOWLEDGE_ENTRY = (
    "{label} {title}\n{body}\n({category}; skriven av {author} {created}; granskas senast {review})"
)
KNOWLEDGE_ENTRY_RETIRED = " Posten är arkiverad."
KNOWLEDGE_ENTRY_MERGED = " Posten har gått upp i {target}."
KNOWLEDGE_UNKNOWN_ENTRY = "Det finns ingen kunskapspost ”{typed}”; skriv till exempel K-12."
KNOWLEDGE_ENTRY_MISSING = "Skriv vilken post du menar, till exempel K-12."
KNOWLEDGE_SAVE_WHO = (
    "Bara frågans kontaktperson eller en administratör kan spara den i kunskapsbanken."
)
KNOWLEDGE_NOT_ANSWERED = (
    "{ref} är inte besvarad än. Bara besvarade frågor kan sparas i kunskapsbanken."
)
KNOWLEDGE_DRAFT = (
    "Utkast från {ref} (skriv om det som allmän kunskap, utan något som pekar ut en person):\n"
    "Fråga: {question}\nSvar: {answers}\n"
    "Spara med: /kunskap spara {ref} <rubrik> | <text> | bekräftat"
)
KNOWLEDGE_DRAFT_PURGED = "(texten är redan rensad enligt gallringsregeln)"
KNOWLEDGE_NOT_CONFIRMED = (
    "Bekräfta att texten inte handlar om en enskild person: avsluta med | bekräftat, "
    "till exempel /kunskap spara {ref} <rubrik> | <text> | bekräftat."
)
KNOWLEDGE_TITLE_MISSING = (
    "Skriv en rubrik, till exempel /kunskap spara {ref} SGI vid deltid | <text> | bekräftat."
)
KNOWLEDGE_TITLE_TOO_LONG = "Rubriken är {length} tecken; den får vara högst {limit}."
KNOWLEDGE_BODY_MISSING = (
    "Skriv texten efter rubriken och ett |, till exempel "
    "/kunskap spara {ref} <rubrik> | <text> | bekräftat."
)
KNOWLEDGE_BODY_TOO_LONG = "Texten är {length} tecken; den får vara högst {limit}."
KNOWLEDGE_SAVED = "Sparat i kunskapsbanken som {label}: {title}. Den ska granskas senast {review}."
KNOWLEDGE_SUGGESTIONS = "Kanske finns svaret redan i kunskapsbanken:"
KNOWLEDGE_SUGGESTION = "{label} {title}"
KNOWLEDGE_SUGGESTIONS_OUTRO = (
    "Besvarar det din fråga? Skriv /kunskap löste {ref} K-… så stängs den."
)
KNOWLEDGE_RESOLVE_WHO = "Bara den som ställde {ref} kan säga att kunskapsbanken löste den."
KNOWLEDGE_RESOLVE_CLOSED = "{ref} är redan stängd."
KNOWLEDGE_RESOLVED = "Skönt att {label} hjälpte! {ref} är stängd som besvarad ur kunskapsbanken."
KNOWLEDGE_NOTICE_RESOLVED = (
    "{ref} stängdes av frågeställaren: besvarad ur kunskapsbanken ({label})."
)
KNOWLEDGE_RESOLVED_THREAD = "Frågan besvarades ur kunskapsbanken: {label} {title}."
KNOWLEDGE_ADMIN_ONLY = "Bara en administratör kan ändra, arkivera eller slå ihop poster."
KNOWLEDGE_EDITED = "{label} är ändrad: {title}."
KNOWLEDGE_RETIRED = "{label} är arkiverad och syns inte längre i sökningar."
KNOWLEDGE_ALREADY_RETIRED = "{label} är redan arkiverad."
KNOWLEDGE_MERGE_SAME = "En post kan inte slås ihop med sig själv."
KNOWLEDGE_MERGED = "{source} har gått upp i {target} och syns inte längre i sökningar."
KNOWLEDGE_REVIEWED = "{label} är granskad; nästa granskning senast {review}."
KNOWLEDGE_REVIEW_WHO = (
    "Bara den som skrev {label} eller en administratör kan markera den som granskad."
)
KNOWLEDGE_NOTHING_DUE = "Inga poster i kunskapsbanken behöver granskas nu."
KNOWLEDGE_DUE = "Poster i kunskapsbanken som ska granskas:"
KNOWLEDGE_DUE_LINE = "{label} {title} (senast {review})"
KNOWLEDGE_DUE_OUTRO = (
    "Läs igenom dem och skriv /kunskap granskad K-… "
    "(eller be en administratör ändra eller arkivera)."
)
KNOWLEDGE_STAT_RESOLVED = "Lösta ur kunskapsbanken: {count}"
KNOWLEDGE_STAT_BY_CATEGORY = "  {category}: {count}"
KNOWLEDGE_STAT_TOP = "Mest använda poster:"
KNOWLEDGE_STAT_TOP_LINE = "  {label} {title}: {count}"
KNOWLEDGE_STAT_DUE = "Poster att granska: {count}"
KNOWLEDGE_EXPORT_FORMATS = "Kunskapsbanken skrivs som md eller html: --format md|html."
SLACK_BUTTON_SAVE_KNOWLEDGE = "Spara i kunskapsbanken"
SLACK_HOME_SEARCH = "Sök i kunskapsbanken"
SLACK_FORM_SEARCH_FIRST = "Sök i kunskapsbanken först"
SLACK_KNOWLEDGE_SAVE_TITLE = "Kunskapsbanken"
SLACK_KNOWLEDGE_SEARCH_TITLE = "Sök i kunskapsbanken"
SLACK_KNOWLEDGE_SAVE = "Spara"
SLACK_SEARCH = "Sök"
SLACK_KNOWLEDGE_INTRO = (
    "Utkast från {ref}. Skriv om det som allmän kunskap: inga namn, inga identitetsnummer, "
    "inget som pekar ut en person."
)
SLACK_KNOWLEDGE_TITLE = "Rubrik"
SLACK_KNOWLEDGE_TEXT = "Text"
SLACK_KNOWLEDGE_CONFIRM_LABEL = "Bekräftelse"
SLACK_KNOWLEDGE_CONFIRM = "Texten handlar inte om en enskild person"
SLACK_KNOWLEDGE_QUERY = "Sökord"
SLACK_KNOWLEDGE_RESOLVED = "Det löste min fråga ({label})"
KNOWLEDGE_EXPORT_TITLE = "Kunskapsbanken"
KNOWLEDGE_EXPORT_INTRO = (
    "{count}: allmän kunskap om sjukförsäkringen och samverkan mellan vården och Försäkringskassan."
)
KNOWLEDGE_EXPORT_REVIEW = "Granskas senast {review}."
