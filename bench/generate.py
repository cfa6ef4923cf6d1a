"""Deterministic generator of synthetic briefgen sessions for benchmarking.

Usage::

    uv run python bench/generate.py S M L W --out bench/inputs

writes ``bench-s.yaml``, ``bench-m.yaml``, ``bench-l.yaml`` and ``bench-w.yaml``
(input format v1) and prints the word count of each file. The output depends only on
the size and the seed: no clock, no network, a fixed embedded vocabulary and a seeded
``random.Random``, so two runs give byte-identical files.

S, M and L grow in size: mostly English, some statements in French and Arabic. W
("world") has M's shape (20 plenaries, 200 statements, 60 organisations, about 68,000
words) with its statements in turn in fourteen languages: English (about 40 %, some
sentences with symbols such as ≥ → ✓), French, Spanish, Russian, Greek, Arabic,
Hebrew, Armenian, Georgian, Hindi, Bengali, Thai, Amharic and Mongolian in its
traditional script, each statement with its ``language``. W against M measures what
font fallback, shaping, bidi and line breaking cost. No Chinese, Japanese or Korean:
their face is large, and W measures the families every build may load.

Word count: whitespace-separated tokens in every string value of the session
(titles, names, summaries, texts, key messages, speakers), Markdown markup and
URLs included, ids, dates and other keys excluded. Thai puts spaces between phrases,
not words: its statements get a fifth of the tokens (``Language.words_per_token``).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import math
import random
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

SEED = 20250303
SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SYMBOL_SHARE = 0.15
"""Share of W's English sentences (full texts) and summaries with symbols."""

Data = dict[str, Any]


@dataclass(frozen=True)
class Size:
    """Shape of one benchmark input."""

    name: str
    plenaries: int
    statements: int
    organizations: int
    target_words: int
    languages: tuple[Language, ...] = ()
    """Statement languages, taken in turn; empty: mostly English, some French and Arabic
    drawn at random (``statement_language``)."""
    extra_organizations: tuple[tuple[str, str, str], ...] = ()
    """Organisations listed after ``ORGANIZATIONS`` and before the synthetic NGOs."""


@dataclass(frozen=True)
class Language:
    """How statements in one language are written.

    English (no ``phrases``) is made of ``sentence``; any other language of three to
    five of its ``phrases`` per sentence (``foreign_sentence``), joined by its own comma
    and closed by its own full stop. A title is ``title`` with the organisation's short
    name and a topic: one of ``topics``, or the English topic drawn for the statement.
    """

    tag: str
    """BCP 47 tag, written as the statement's ``language`` unless it is ``en``."""
    phrases: tuple[str, ...] = ()
    comma: str = ","
    stop: str = "."
    capitalize: bool = True
    """Upper-case a sentence's first letter (not Georgian: its capitals are Mtavruli)."""
    title: str = "Statement by {org} on {topic}"
    topics: tuple[str, ...] = ()
    symbols: bool = False
    """English only: some sentences carry symbols (>= <= -> check mark, star, square)."""
    words_per_token: float = 1.0
    """Words one whitespace-separated token stands for: about 5 in Thai, which puts
    spaces between phrases, not words. A statement's share of the word budget is divided
    by it, so that a Thai text is about as long as the others, not five times longer."""


def _lines(block: str) -> tuple[str, ...]:
    """The non-blank lines of a phrase block, stripped."""
    return tuple(line.strip() for line in block.splitlines() if line.strip())


def _words(block: str) -> list[str]:
    """The whitespace-separated words of a vocabulary block."""
    return block.split()


# --- embedded vocabulary ----------------------------------------------------------

ADJECTIVES = _words(
    """
sustainable inclusive resilient coastal regional national global multilateral collective
urgent ambitious concrete effective transparent equitable fair predictable adequate
long-term short-term scientific technical financial institutional legal voluntary
binding integrated coherent vulnerable developing landlocked small island marine
terrestrial agricultural digital renewable affordable accessible timely shared
comprehensive practical meaningful decisive substantial continued renewed strengthened
"""
)

NOUNS = _words(
    """
cooperation partnership framework mechanism commitment obligation agenda process outcome
implementation capacity financing investment assistance resilience adaptation mitigation
ecosystem biodiversity fisheries ocean coastline community livelihood resource technology
innovation knowledge data monitoring reporting review assessment strategy policy
regulation governance institution secretariat mandate negotiation consensus dialogue
declaration resolution decision protocol convention roadmap target indicator baseline
population generation youth women stakeholder sector industry infrastructure energy
water food security health education employment trade transport migration heritage
"""
)

PLURALS = _words(
    """
partners parties delegations governments institutions communities stakeholders donors
countries regions states members observers experts scientists farmers fishers cities
programmes initiatives instruments commitments measures resources efforts priorities
"""
)

VERBS = [
    v.replace("_", " ")
    for v in _words(
        """
welcomes supports reaffirms underlines stresses recognises calls_for encourages urges
acknowledges notes emphasises commends endorses highlights recalls invites requests
"""
    )
]

ACTIONS = [
    a.replace("_", " ")
    for a in _words(
        """
strengthen accelerate scale_up mobilise deliver implement enhance promote ensure protect
restore support integrate coordinate review monitor finance develop build expand
"""
    )
]

CONNECTORS = [
    "In this regard,",
    "At the same time,",
    "Moreover,",
    "For this reason,",
    "Nevertheless,",
    "In particular,",
    "Furthermore,",
    "As a result,",
    "To that end,",
    "Finally,",
]

PLACES = [
    "the Mediterranean",
    "the Pacific",
    "the Sahel",
    "the Caribbean",
    "the Baltic Sea region",
    "the Horn of Africa",
    "the Andes",
    "South-East Asia",
    "the Arctic",
    "the Indian Ocean",
]

SUBJECTS = [
    "The delegation",
    "Our government",
    "The group",
    "The presidency",
    "The {noun} of {plural}",
    "The report on {noun}",
]

PATTERNS = [
    "{subject} {verb} the {thing} of {topic} in order to {action} {adjective} {noun} for {who}",
    "{subject} {verb} the progress made on {topic} and the {thing} agreed by {who}",
    "{subject} {verb} all {who} to {action} the {thing} of {topic} without delay",
    "Without {adjective} {noun}, the {thing} of {topic} will remain out of reach for {who}",
    "{subject} {verb} that {topic} requires {thing} and {adjective} {noun} for {who}",
    "Through {topic}, {who} can {action} the {thing} and {adjective} {noun}",
]

# Phrases (not single words) so that foreign-language text reads as sentences.
ARABIC_PHRASES = [
    "نرحب بالتقدم المحرز",
    "في مجال التنمية المستدامة",
    "ونؤكد على أهمية التعاون الدولي",
    "من أجل تعزيز الصمود",
    "في المناطق الساحلية",
    "وندعو الدول الأعضاء",
    "إلى الوفاء بالتزاماتها",
    "بشأن تمويل المناخ",
    "ونشدد على دور الشباب والمرأة",
    "في تنفيذ القرارات",
    "على المستوى الإقليمي والدولي",
    "وحماية النظم البيئية البحرية",
    "ودعم المجتمعات المحلية",
    "وفقا لجدول الأعمال المتفق عليه",
]

ARABIC_TOPICS = ["التنمية المستدامة", "تمويل المناخ", "الأمن الغذائي", "المناطق الساحلية"]

FRENCH_PHRASES = [
    "nous saluons les progrès accomplis",
    "en matière de développement durable",
    "et réaffirmons l’importance de la coopération internationale",
    "afin de renforcer la résilience",
    "des zones côtières",
    "nous appelons les États membres",
    "à honorer leurs engagements",
    "en ce qui concerne le financement climatique",
    "et soulignons le rôle des jeunes et des femmes",
    "dans la mise en œuvre des décisions",
    "aux niveaux régional et international",
    "et la protection des écosystèmes marins",
]

# Size W ("world"): statements in the scripts a pack of the Assembly of States Parties
# to the Rome Statute meets (States Parties, observer States, civil society). Each
# language has phrases on international justice, cooperation, victims and the Court,
# and title topics; English keeps ``sentence`` and adds a few symbols.

SYMBOL_SENTENCES = [
    "The approved budget ≥ the Court’s workload ✓.",
    "Arrears ≤ 10 % of assessed contributions → no loss of voting rights.",
    "Priority ★ full cooperation with the Court → arrest warrants executed.",
    "Checklist ■ victims heard ✓ ■ reparations paid ✓ ■ warrants executed.",
    "More ratifications → universality of the Rome Statute ★.",
    "Requests for cooperation answered ≥ 90 % ✓.",
    "Legal aid for victims ≤ need → a gap the Assembly must close.",
    "Independence of the Court ★ no political pressure ✓.",
]

WORLD_FRENCH = Language(
    "fr",
    phrases=_lines(
        """
        nous réaffirmons notre soutien à la Cour pénale internationale
        la coopération des États est essentielle
        les victimes doivent être entendues
        afin de lutter contre l’impunité
        dans le respect du Statut de Rome
        nous appelons tous les États à coopérer pleinement avec la Cour
        l’exécution des mandats d’arrêt
        et les réparations dues aux victimes
        l’indépendance de la Cour doit être préservée
        au service de la justice internationale
        """
    ),
    title="Déclaration de {org} sur {topic}",
    topics=_lines(
        """
        la coopération avec la Cour
        les droits des victimes
        la lutte contre l’impunité
        l’universalité du Statut de Rome
        """
    ),
)

WORLD_SPANISH = Language(
    "es",
    phrases=_lines(
        """
        reafirmamos nuestro apoyo a la Corte Penal Internacional
        la cooperación de los Estados es esencial
        las víctimas deben ser escuchadas
        para luchar contra la impunidad
        de conformidad con el Estatuto de Roma
        instamos a todos los Estados a cooperar plenamente con la Corte
        la ejecución de las órdenes de detención
        y las reparaciones a las víctimas
        la independencia de la Corte debe ser preservada
        al servicio de la justicia internacional
        """
    ),
    title="Declaración de {org} sobre {topic}",
    topics=_lines(
        """
        la cooperación con la Corte
        los derechos de las víctimas
        la lucha contra la impunidad
        la universalidad del Estatuto de Roma
        """
    ),
)

WORLD_RUSSIAN = Language(
    "ru",
    phrases=_lines(
        """
        мы вновь подтверждаем нашу поддержку Международного уголовного суда
        сотрудничество государств имеет решающее значение
        голос жертв должен быть услышан
        в целях борьбы с безнаказанностью
        в соответствии с Римским статутом
        мы призываем все государства в полной мере сотрудничать с Судом
        исполнение ордеров на арест
        и возмещение ущерба жертвам
        необходимо сохранить независимость Суда
        во имя международного правосудия
        """  # noqa: RUF001
    ),
    title="{org}: заявление о {topic}",  # noqa: RUF001
    topics=_lines(
        """
        сотрудничестве с Судом
        правах жертв
        борьбе с безнаказанностью
        поддержке Римского статута
        """  # noqa: RUF001
    ),
)

WORLD_GREEK = Language(
    "el",
    phrases=_lines(
        """
        επαναβεβαιώνουμε τη στήριξή μας στο Διεθνές Ποινικό Δικαστήριο
        η συνεργασία των κρατών είναι ουσιώδης
        η φωνή των θυμάτων πρέπει να ακουστεί
        για την καταπολέμηση της ατιμωρησίας
        σύμφωνα με το Καταστατικό της Ρώμης
        καλούμε όλα τα κράτη να συνεργαστούν πλήρως με το Δικαστήριο
        η εκτέλεση των ενταλμάτων σύλληψης
        και οι αποζημιώσεις για τα θύματα
        η ανεξαρτησία του Δικαστηρίου πρέπει να διαφυλαχθεί
        στην υπηρεσία της διεθνούς δικαιοσύνης
        """  # noqa: RUF001
    ),
    title="{org}: δήλωση για {topic}",  # noqa: RUF001
    topics=_lines(
        """
        τη συνεργασία με το Δικαστήριο
        τα δικαιώματα των θυμάτων
        την καταπολέμηση της ατιμωρησίας
        το Καταστατικό της Ρώμης
        """
    ),
)

WORLD_ARABIC = Language(
    "ar",
    phrases=_lines(
        """
        نؤكد مجددا دعمنا للمحكمة الجنائية الدولية
        إن تعاون الدول أمر أساسي
        يجب الاستماع إلى الضحايا
        من أجل مكافحة الإفلات من العقاب
        وفقا لنظام روما الأساسي
        وندعو جميع الدول إلى التعاون الكامل مع المحكمة
        تنفيذ أوامر القبض
        وجبر الضرر للضحايا
        يجب الحفاظ على استقلال المحكمة
        خدمة للعدالة الدولية
        """
    ),
    comma="،",
    title="بيان {org} بشأن {topic}",
    topics=("التعاون مع المحكمة", "حقوق الضحايا", "مكافحة الإفلات من العقاب", "نظام روما الأساسي"),
)

WORLD_HEBREW = Language(
    "he",
    phrases=_lines(
        """
        אנו מאשרים מחדש את תמיכתנו בבית הדין הפלילי הבינלאומי
        שיתוף הפעולה של המדינות הוא חיוני
        יש לשמוע את קולם של הקורבנות
        כדי שפשעים חמורים לא יישארו ללא עונש
        בהתאם לאמנת רומא
        אנו קוראים לכל המדינות לשתף פעולה באופן מלא עם בית הדין
        ביצוע צווי המעצר
        ופיצויים לקורבנות
        יש לשמור על עצמאותו של בית הדין
        למען הצדק הבינלאומי
        """
    ),
    title="הצהרת {org} בנושא {topic}",
    topics=("שיתוף פעולה עם בית הדין", "זכויות הקורבנות", "עצמאות בית הדין", "אמנת רומא"),
)

WORLD_ARMENIAN = Language(
    "hy",
    phrases=_lines(
        """
        մենք վերահաստատում ենք մեր աջակցությունը Միջազգային քրեական դատարանին
        պետությունների համագործակցությունը էական է
        զոհերի ձայնը պետք է լսելի լինի
        անպատժելիության դեմ պայքարելու համար
        Հռոմի կանոնադրությանը համապատասխան
        մենք կոչ ենք անում բոլոր պետություններին լիովին համագործակցել Դատարանի հետ
        ձերբակալման հրամանների կատարումը
        և զոհերին փոխհատուցում
        Դատարանի անկախությունը պետք է պահպանվի
        հանուն միջազգային արդարադատության
        """
    ),
    stop="։",  # the Armenian full stop  # noqa: RUF001
    title="{org}: հայտարարություն {topic} մասին",
    topics=_lines(
        """
        Դատարանի հետ համագործակցության
        զոհերի իրավունքների
        անպատժելիության դեմ պայքարի
        Հռոմի կանոնադրության
        """
    ),
)

WORLD_GEORGIAN = Language(
    "ka",
    phrases=_lines(
        """
        ჩვენ კიდევ ერთხელ ვადასტურებთ მხარდაჭერას საერთაშორისო სისხლის სამართლის სასამართლოსადმი
        სახელმწიფოთა თანამშრომლობა არსებითია
        მსხვერპლთა ხმა უნდა იყოს მოსმენილი
        დაუსჯელობასთან ბრძოლის მიზნით
        რომის სტატუტის შესაბამისად
        ყველა სახელმწიფოს მოვუწოდებთ სრულად ითანამშრომლონ სასამართლოსთან
        დაპატიმრების ორდერების აღსრულება
        და მსხვერპლთათვის ზიანის ანაზღაურება
        სასამართლოს დამოუკიდებლობა უნდა იყოს დაცული
        საერთაშორისო მართლმსაჯულების სამსახურში
        """
    ),
    capitalize=False,
    title="{org}: განცხადება {topic} შესახებ",
    topics=_lines(
        """
        სასამართლოსთან თანამშრომლობის
        მსხვერპლთა უფლებების
        დაუსჯელობასთან ბრძოლის
        რომის სტატუტის
        """
    ),
)

WORLD_HINDI = Language(
    "hi",
    phrases=_lines(
        """
        हम अंतर्राष्ट्रीय आपराधिक न्यायालय के प्रति अपने समर्थन की पुष्टि करते हैं
        राज्यों का सहयोग अत्यंत आवश्यक है
        पीड़ितों की आवाज़ सुनी जानी चाहिए
        दंडमुक्ति को समाप्त करने के लिए
        रोम संविधि के अनुसार
        हम सभी राज्यों से न्यायालय के साथ पूर्ण सहयोग करने का आग्रह करते हैं
        गिरफ्तारी वारंटों का निष्पादन
        और पीड़ितों को क्षतिपूर्ति
        न्यायालय की स्वतंत्रता बनाए रखी जानी चाहिए
        अंतर्राष्ट्रीय न्याय के लिए
        """
    ),
    stop="।",  # danda
    title="{org}: {topic} पर वक्तव्य",
    topics=_lines(
        """
        न्यायालय के साथ सहयोग
        पीड़ितों के अधिकारों
        दंडमुक्ति के विरुद्ध संघर्ष
        रोम संविधि
        """
    ),
)

WORLD_BENGALI = Language(
    "bn",
    phrases=_lines(
        """
        আমরা আন্তর্জাতিক অপরাধ আদালতের প্রতি আমাদের সমর্থন পুনর্ব্যক্ত করছি
        রাষ্ট্রগুলোর সহযোগিতা অপরিহার্য
        ভুক্তভোগীদের কণ্ঠস্বর শুনতে হবে
        দায়মুক্তির অবসান ঘটাতে
        রোম সংবিধি অনুযায়ী
        আমরা সকল রাষ্ট্রকে আদালতের সঙ্গে পূর্ণ সহযোগিতার আহ্বান জানাই
        গ্রেপ্তারি পরোয়ানা কার্যকর করা
        এবং ভুক্তভোগীদের ক্ষতিপূরণ
        আদালতের স্বাধীনতা রক্ষা করতে হবে
        আন্তর্জাতিক ন্যায়বিচারের স্বার্থে
        """
    ),
    stop="।",  # dari
    title="{org}: {topic} বিষয়ক বিবৃতি",
    topics=_lines(
        """
        আদালতের সঙ্গে সহযোগিতা
        ভুক্তভোগীদের অধিকার
        দায়মুক্তির অবসান
        রোম সংবিধি
        """
    ),
)

WORLD_THAI = Language(
    "th",
    phrases=_lines(
        """
        เราขอยืนยันการสนับสนุนศาลอาญาระหว่างประเทศ
        ความร่วมมือของรัฐมีความสำคัญยิ่ง
        เสียงของผู้เสียหายต้องได้รับการรับฟัง
        เพื่อยุติการลอยนวลพ้นผิด
        ตามธรรมนูญกรุงโรม
        เราขอเรียกร้องให้ทุกรัฐให้ความร่วมมือกับศาลอย่างเต็มที่
        การบังคับตามหมายจับ
        และการเยียวยาผู้เสียหาย
        ความเป็นอิสระของศาลต้องได้รับการคุ้มครอง
        เพื่อความยุติธรรมระหว่างประเทศ
        """
    ),
    comma="",  # Thai separates clauses and sentences by spaces, not by punctuation
    stop="",
    title="แถลงการณ์ของ {org} ว่าด้วย{topic}",
    topics=_lines(
        """
        ความร่วมมือกับศาล
        สิทธิของผู้เสียหาย
        การยุติการลอยนวลพ้นผิด
        ธรรมนูญกรุงโรม
        """
    ),
    words_per_token=5,  # Thai: spaces between phrases, not words
)

WORLD_AMHARIC = Language(
    "am",
    phrases=_lines(
        """
        ለዓለም አቀፉ የወንጀል ፍርድ ቤት ያለንን ድጋፍ እናረጋግጣለን
        የመንግሥታት ትብብር እጅግ አስፈላጊ ነው
        የተጎጂዎች ድምፅ መሰማት አለበት
        ከቅጣት ማምለጥን ለማስቆም
        በሮም ስምምነት መሠረት
        ሁሉም መንግሥታት ከፍርድ ቤቱ ጋር ሙሉ በሙሉ እንዲተባበሩ እንጠይቃለን
        የእስር ማዘዣዎችን ማስፈጸም
        እና ለተጎጂዎች ካሳ
        የፍርድ ቤቱ ነጻነት መጠበቅ አለበት
        ለዓለም አቀፍ ፍትሕ
        """
    ),
    comma="፣",  # Ethiopic comma
    stop="።",  # Ethiopic full stop
    title="{org}: ስለ {topic} መግለጫ",
    topics=_lines(
        """
        ከፍርድ ቤቱ ጋር ትብብር
        የተጎጂዎች መብቶች
        ከቅጣት ማምለጥን ማስቆም
        የሮም ስምምነት
        """
    ),
)

# Traditional Mongolian script; case suffixes follow a narrow no-break space (U+202F),
# as Unicode encodes them. Set horizontally, as briefgen sets every script.
NNBSP = "\u202f"
WORLD_MONGOLIAN = Language(
    "mn-Mong",
    phrases=(
        f"ᠣᠯᠠᠨ ᠤᠯᠤᠰ{NNBSP}ᠤᠨ ᠰᠢᠳᠤᠷᠭᠤ ᠶᠣᠰᠤ",  # olan ulus-un sidurgu yosu: international justice
        f"ᠣᠯᠠᠨ ᠤᠯᠤᠰ{NNBSP}ᠤᠨ ᠰᠢᠭᠦᠬᠦ",  # olan ulus-un sigükü: the international court
        f"ᠬᠦᠮᠦᠨ{NNBSP}ᠦ ᠡᠷᠬᠡ",  # kümün-ü erke: human rights
        f"ᠬᠣᠬᠢᠷᠠᠭᠴᠢ{NNBSP}ᠶᠢᠨ ᠡᠷᠬᠡ",  # qokiragchi-yin erke: the rights of victims
        "ᠬᠠᠮᠲᠤᠷᠠᠨ ᠠᠵᠢᠯᠯᠠᠬᠤ",  # qamturan ajillaqu: to work together
        "ᠡᠩᠬᠡ ᠲᠠᠶᠢᠪᠤᠩ",  # engke tayibung: peace
        "ᠪᠦᠬᠦ ᠤᠯᠤᠰ",  # bükü ulus: all States
        "ᠮᠣᠩᠭᠣᠯ ᠤᠯᠤᠰ",  # mongol ulus: Mongolia
    ),
    comma="᠂",  # Mongolian comma
    stop="᠃",  # Mongolian full stop  # noqa: RUF001
    title="{org}: {topic}",
    topics=(
        f"ᠣᠯᠠᠨ ᠤᠯᠤᠰ{NNBSP}ᠤᠨ ᠰᠢᠳᠤᠷᠭᠤ ᠶᠣᠰᠤ",
        f"ᠬᠦᠮᠦᠨ{NNBSP}ᠦ ᠡᠷᠬᠡ",
        f"ᠬᠣᠬᠢᠷᠠᠭᠴᠢ{NNBSP}ᠶᠢᠨ ᠡᠷᠬᠡ",
    ),
)

WORLD_ENGLISH = Language("en", symbols=True)

# One turn of W's statement languages: English 9 times in 22 (about 40 %), each of the
# other thirteen once, never English twice in a row (nor across the turn).
_E = WORLD_ENGLISH
WORLD_LANGUAGES: tuple[Language, ...] = (
    *(_E, WORLD_FRENCH, _E, WORLD_RUSSIAN, _E, WORLD_SPANISH, WORLD_ARABIC),
    *(_E, WORLD_GREEK, _E, WORLD_HEBREW, WORLD_ARMENIAN, _E, WORLD_GEORGIAN),
    *(_E, WORLD_HINDI, WORLD_BENGALI, _E, WORLD_THAI, _E, WORLD_AMHARIC, WORLD_MONGOLIAN),
)

# W's organisations beyond ORGANIZATIONS, in the scripts of its statements.
WORLD_ORGANIZATIONS: tuple[tuple[str, str, str], ...] = (
    ("armenia", "Հայաստանի Հանրապետություն", "Հայաստան"),
    ("georgia", "საქართველო", "საქართველო"),
    ("bangladesh", "গণপ্রজাতন্ত্রী বাংলাদেশ", "বাংলাদেশ"),
    ("mongolia", "ᠮᠣᠩᠭᠣᠯ ᠤᠯᠤᠰ", "ᠮᠣᠩᠭᠣᠯ"),
    ("cyprus", "Κυπριακή Δημοκρατία", "Κύπρος"),
    ("gyla", "საქართველოს ახალგაზრდა იურისტთა ასოციაცია", "GYLA"),
    ("hca", "Հելսինկյան քաղաքացիական ասամբլեա", "HCA"),
    ("acri", "האגודה לזכויות האזרח בישראל", "ACRI"),
    ("ask", "আইন ও সালিশ কেন্দ্র", "ASK"),
    ("hrln", "मानवाधिकार कानून नेटवर्क", "HRLN"),
    ("hrla", "สมาคมนักกฎหมายสิทธิมนุษยชน", "HRLA"),
    ("ehrco", "የኢትዮጵያ ሰብአዊ መብቶች ጉባኤ", "EHRCO"),
)

ORGANIZATIONS: list[tuple[str, str, str]] = [
    # (id, name, short_name)
    ("greece", "Ελληνική Δημοκρατία", "Ελλάδα"),
    ("bulgaria", "Република България", "България"),
    ("ukraine", "Україна", "Україна"),
    ("serbia", "Република Србија", "Србија"),
    ("morocco", "المملكة المغربية", "المغرب"),
    ("egypt", "جمهورية مصر العربية", "مصر"),
    ("jordan", "المملكة الأردنية الهاشمية", "الأردن"),
    ("france", "République française", "France"),
    ("cote-d-ivoire", "République de Côte d’Ivoire", "Côte d’Ivoire"),
    ("sao-tome", "República Democrática de São Tomé e Príncipe", "São Tomé e Príncipe"),
    ("peru", "República del Perú", "Perú"),
    ("turkiye", "Türkiye Cumhuriyeti", "Türkiye"),
    ("czechia", "Česká republika", "Česko"),
    ("iceland", "Ísland", "Ísland"),
    ("viet-nam", "Cộng hòa Xã hội chủ nghĩa Việt Nam", "Việt Nam"),
    ("poland", "Rzeczpospolita Polska", "Polska"),
    ("norway", "Kongeriket Norge", "Norge"),
    ("germany", "Bundesrepublik Deutschland", "Deutschland"),
    ("brazil", "República Federativa do Brasil", "Brasil"),
    ("kenya", "Republic of Kenya", "Kenya"),
    ("fiji", "Republic of Fiji", "Fiji"),
    ("maldives", "Republic of Maldives", "Maldives"),
    ("chile", "República de Chile", "Chile"),
    ("romania", "România", "România"),
    ("eu", "European Union", "EU"),
    ("au", "African Union", "AU"),
    ("las", "جامعة الدول العربية", "LAS"),
    ("oif", "Organisation internationale de la Francophonie", "OIF"),
    ("g77", "Group of 77 and China", "G77"),
    ("aosis", "Alliance of Small Island States", "AOSIS"),
    ("ldc", "Group of Least Developed Countries", "LDCs"),
    ("unep", "United Nations Environment Programme", "UNEP"),
    ("fao", "Food and Agriculture Organization of the United Nations", "FAO"),
    ("wmo", "World Meteorological Organization", "WMO"),
    ("iucn", "International Union for Conservation of Nature", "IUCN"),
    ("ifrc", "International Federation of Red Cross and Red Crescent Societies", "IFRC"),
]

NGO_FORMS = ["Coalition", "Network", "Alliance", "Forum", "Institute", "Foundation"]

FIRST_NAMES = _words(
    """
Ana María José Dimitrios Eleni Olena Mykola Ahmed Fatima Amina Jean-Pierre Hélène Zoë
Søren Ingrid Łukasz Małgorzata Tomáš Zdeněk Nguyễn Thị Björk Ömer Ayşe Chiara Kwame
Ngozi Sione Mele Aroha Rafael Ixchel Raúl Inés François Benoît Gülşen Mirela
"""
)

LAST_NAMES = _words(
    """
Pérez García Papadopoulos Kowalczyk Novák Dvořák Müller Øvergaard Jónsdóttir Yilmaz
Öztürk Diallo Koné Traoré Mensah Okonkwo Bianchi Rossi Silva Gonçalves Ramírez Núñez
Lefèvre Dubois Kovačević Petrović Mwangi Tuilagi Nguyễn Ben-Youssef
"""
)

NON_LATIN_SPEAKERS = [
    "Γεώργιος Παπαδόπουλος",
    "Μαρία Κωνσταντίνου",
    "Олена Коваленко",
    "Иван Петров",
    "Драган Јовановић",
    "محمد بن سالم",
    "فاطمة الزهراء العلوي",
    "أحمد عبد الله",
]

TITLES = ["H.E. Mr.", "H.E. Ms.", "Mr.", "Ms.", "Dr.", "Prof.", "Hon."]

ROLES = [
    "Minister for Foreign Affairs",
    "Minister of Environment",
    "Permanent Representative",
    "Deputy Minister",
    "Head of Delegation",
    "Special Envoy",
    "Director-General",
    "Executive Secretary",
]

TOPICS = [
    "ocean and coastal resilience",
    "climate finance",
    "loss and damage",
    "food systems",
    "early warning systems",
    "the blue economy",
    "capacity-building",
    "technology transfer",
    "youth engagement",
    "gender equality",
    "sustainable fisheries",
    "marine protected areas",
    "disaster risk reduction",
    "water security",
]

SEGMENTS = [
    ("high-level", "High-level segment", "Statements by ministers, 5 minutes"),
    ("ministerial-round-table", "Ministerial round table", "Interactive dialogue"),
    ("observers", "Statements by observers", "Statements, 3 minutes"),
    ("youth", "Youth dialogue", "Moderated panel"),
]


# The languages of S, M and L: English, with some statements in French and Arabic.
ENGLISH = Language("en")
FRENCH = Language(
    "fr", tuple(FRENCH_PHRASES), title="Déclaration de {org} sur la résilience côtière"
)
ARABIC = Language(
    "ar",
    tuple(ARABIC_PHRASES),
    comma="،",
    title="بيان {org} بشأن {topic}",
    topics=tuple(ARABIC_TOPICS),
)
LANGUAGES = {lang.tag: lang for lang in (ENGLISH, FRENCH, ARABIC)}

SIZES: dict[str, Size] = {
    "S": Size("S", plenaries=3, statements=7, organizations=8, target_words=2_300),
    "M": Size("M", plenaries=20, statements=200, organizations=60, target_words=68_000),
    "L": Size("L", plenaries=100, statements=2_000, organizations=160, target_words=650_000),
    # L four times over: does time and memory grow linearly (bench/run.py --sizes L,XL)?
    "XL": Size("XL", plenaries=400, statements=8_000, organizations=640, target_words=2_600_000),
    # M's shape, its statements in fourteen languages and scripts (see WORLD_LANGUAGES).
    "W": Size(
        "W",
        plenaries=20,
        statements=200,
        organizations=60,
        target_words=68_000,
        languages=WORLD_LANGUAGES,
        extra_organizations=WORLD_ORGANIZATIONS,
    ),
}


# --- prose ------------------------------------------------------------------------


def sentence(
    rng: random.Random, *, strong: bool = False, emphasis: bool = False, link: str = ""
) -> str:
    """One English sentence of roughly 15 to 30 words, optionally with inline markup.

    ``strong`` sets the object in **bold**, ``emphasis`` the beneficiaries in *italics*
    and ``link`` turns the topic into a Markdown link to that URL.
    """
    topic = rng.choice(TOPICS)
    if link:
        topic = f"[{topic}]({link})"
    thing = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    if strong:
        thing = f"**{thing}**"
    who = rng.choice(PLURALS)
    if emphasis:
        who = f"*{who}*"
    subject = rng.choice(SUBJECTS).format(noun=rng.choice(NOUNS), plural=rng.choice(PLURALS))
    pattern = rng.choice(PATTERNS)
    text = pattern.format(
        subject=subject,
        verb=rng.choice(VERBS),
        thing=thing,
        topic=topic,
        action=rng.choice(ACTIONS),
        adjective=rng.choice(ADJECTIVES),
        noun=rng.choice(NOUNS),
        who=who,
    )
    tail = rng.random()
    if tail < 0.3:
        text += f" in {rng.choice(PLACES)}"
    elif tail < 0.5:
        text += f", including through {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    if rng.random() < 0.3:
        text = f"{rng.choice(CONNECTORS)} {text[0].lower()}{text[1:]}"
    return text + "."


def foreign_sentence(
    rng: random.Random,
    phrases: Sequence[str],
    comma: str,
    *,
    stop: str = ".",
    capitalize: bool = True,
) -> str:
    """A sentence of three to five phrases from a non-English phrase list.

    ``comma`` follows the first half of the phrases and ``stop`` ends the sentence;
    ``capitalize`` upper-cases its first letter (a no-op for scripts without case).
    """
    parts = rng.sample(phrases, rng.randint(3, 5))
    if capitalize:
        parts[0] = parts[0][0].upper() + parts[0][1:]  # no-op for Arabic
    cut = len(parts) // 2
    return " ".join(parts[:cut]) + comma + " " + " ".join(parts[cut:]) + stop


def next_sentence(rng: random.Random, language: Language) -> str:
    if language.phrases:
        return foreign_sentence(
            rng,
            language.phrases,
            language.comma,
            stop=language.stop,
            capitalize=language.capitalize,
        )
    if language.symbols and rng.random() < SYMBOL_SHARE:
        return rng.choice(SYMBOL_SENTENCES)
    return sentence(rng)


def paragraph_words(rng: random.Random, n_words: int, language: Language) -> str:
    """A paragraph of about ``n_words`` words in ``language``."""
    out: list[str] = []
    count = 0
    while count < n_words:
        s = next_sentence(rng, language)
        n = len(s.split())
        if out and count + n - n_words > n_words - count:
            break  # stopping here is closer to the target than adding ``s``
        out.append(s)
        count += n
    return " ".join(out)


def marked_sentence(rng: random.Random, link: str) -> str:
    """An English sentence with **strong**, *emphasis* and (sometimes) a link."""
    return sentence(rng, strong=True, emphasis=rng.random() < 0.7, link=link)


def bullet_list(rng: random.Random) -> str:
    return "\n".join(f"- {sentence(rng)}" for _ in range(rng.randint(2, 4)))


def full_text(rng: random.Random, n_words: int, language: Language, link: str) -> str:
    """A Markdown full text of several paragraphs totalling about ``n_words`` words.

    English texts open with a marked-up sentence and sometimes carry a bullet list
    after the first paragraph.
    """
    n_paras = max(2, min(9, round(n_words / 80)))
    english = not language.phrases
    opening = marked_sentence(rng, link) if english else ""
    items = bullet_list(rng) if english and n_words > 150 and rng.random() < 0.25 else ""
    left = n_words - len(opening.split()) - len(items.split())
    paras: list[str] = []
    written = 0
    for i in range(n_paras):
        paras.append(paragraph_words(rng, max(8, (left - written) // (n_paras - i)), language))
        written += len(paras[-1].split())
    if opening:
        paras[0] = f"{opening} {paras[0]}"
    if items:
        paras.insert(1, items)
    return "\n\n".join(paras)


def summary(rng: random.Random, language: Language, link: str) -> str:
    """A short Markdown summary: one or two sentences, markup, sometimes a list."""
    if language.phrases:
        return paragraph_words(rng, round(rng.randint(20, 40) / language.words_per_token), language)
    text = marked_sentence(rng, link)
    if rng.random() < 0.5:
        text += " " + sentence(rng)
    if language.symbols and rng.random() < SYMBOL_SHARE:
        text += " " + rng.choice(SYMBOL_SENTENCES)
    if rng.random() < 0.15:
        text += "\n\n" + bullet_list(rng)
    return text


# --- structure ----------------------------------------------------------------------


def organizations(
    rng: random.Random, n: int, fixed: Sequence[tuple[str, str, str]] = ORGANIZATIONS
) -> list[Data]:
    """``n`` organisations: the fixed multi-script list, then synthetic NGOs."""
    orgs: list[Data] = []
    for oid, name, short in fixed[:n]:
        orgs.append(
            {"id": oid, "name": name, "short_name": short, "url": f"https://{oid}.example.org/"}
        )
    i = 0
    while len(orgs) < n:
        i += 1
        form = rng.choice(NGO_FORMS)
        topic = rng.choice(TOPICS)
        name = f"{form} for {topic[0].upper()}{topic[1:]} {i}"
        oid = f"ngo-{i:03d}"
        short = "".join(w[0] for w in name.split() if w[0].isupper()) + str(i)
        orgs.append(
            {"id": oid, "name": name, "short_name": short, "url": f"https://{oid}.example.net/"}
        )
    return orgs


def speaker(rng: random.Random) -> str:
    """A speaker line: title, name (sometimes non-Latin) and role."""
    if rng.random() < 0.12:
        name = rng.choice(NON_LATIN_SPEAKERS)
    else:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    return f"{rng.choice(TITLES)} {name}, {rng.choice(ROLES)}"


def plenary_kinds(n: int) -> list[str]:
    """Opening first, closing last, a general debate block, plain plenaries otherwise."""
    if n == 1:
        return ["closing"]
    kinds = ["plenary"] * n
    kinds[0] = "opening"
    kinds[-1] = "closing"
    for i in range(1, min(n - 1, 1 + max(1, n // 4))):
        kinds[i] = "general-debate"
    if n >= 10:
        kinds[n // 2] = "other"
    return kinds


def split_statements(rng: random.Random, total: int, kinds: list[str]) -> list[int]:
    """Share ``total`` statements among plenaries, at least one each, debates heavier."""
    counts = [1] * len(kinds)
    weights = [3.0 if k == "general-debate" else 0.5 if k == "closing" else 1.0 for k in kinds]
    for i in rng.choices(range(len(kinds)), weights=weights, k=total - len(kinds)):
        counts[i] += 1
    return counts


def word_budgets(
    rng: random.Random, n: int, total: int, shares: list[float] | None = None
) -> list[int]:
    """Split ``total`` words over ``n`` statement texts with +-40% variation.

    ``shares`` (one per text) weighs each text's part beyond that variation.
    """
    weights = [rng.uniform(0.6, 1.4) for _ in range(n)]
    if shares is not None:
        weights = [w * share for w, share in zip(weights, shares, strict=True)]
    scale = total / sum(weights)
    return [max(20, round(w * scale)) for w in weights]


def statement_language(rng: random.Random) -> str:
    r = rng.random()
    return "ar" if r < 0.06 else "fr" if r < 0.10 else "en"


def statement_title(rng: random.Random, org: Data, language: Language, topic: str) -> str:
    """The title in ``language``: on one of its topics, else on the English ``topic``."""
    if language.topics:
        topic = rng.choice(language.topics)
    return language.title.format(org=org["short_name"], topic=topic)


def statement(rng: random.Random, sid: str, ctx: Data, segments: list[Data]) -> Data:
    """One statement without its full text (added once the word budget is known)."""
    orgs: list[Data] = ctx["orgs"]
    org = rng.choice(orgs)
    language = ctx["language"](rng)
    topic = rng.choice(TOPICS)
    url = f"{ctx['url']}statements/{sid}"
    st: Data = {"id": sid, "by": org["id"]}
    if rng.random() < 0.15:
        st["on_behalf_of"] = rng.choice([o for o in orgs if o["id"] != org["id"]])["id"]
    if rng.random() < 0.85:
        st["speaker"] = speaker(rng)
    if segments:
        st["segment"] = rng.choice(segments)["id"]
    st["title"] = statement_title(rng, org, language, topic)
    st["summary"] = summary(rng, language, url)
    st["text"] = ""
    if rng.random() < 0.9:
        st["url"] = url
    if language.tag != "en":
        st["language"] = language.tag
    return st


def plenary(
    rng: random.Random, index: int, kind: str, day: date, n_statements: int, ctx: Data
) -> Data:
    """One plenary with ``n_statements`` statements (texts still empty)."""
    pid = f"plenary-{index:03d}"
    title = {
        "opening": "Opening plenary",
        "general-debate": f"General debate ({index})",
        "closing": "Closing plenary",
        "other": "Special event on the blue economy",
    }.get(kind, f"Plenary {index}: {rng.choice(TOPICS)}")
    pl: Data = {"id": pid, "title": title, "kind": kind, "date": day}
    pl["summary"] = summary(rng, ctx["languages"]["en"], ctx["url"])
    segments: list[Data] = []
    if kind in ("general-debate", "other") or rng.random() < 0.2:
        chosen = rng.sample(SEGMENTS, rng.randint(2, 3))
        segments = [{"id": s, "title": t, "format": f} for s, t, f in chosen]
        pl["segments"] = segments
    pl["statements"] = [
        statement(rng, f"{pid}-st-{j:04d}", ctx, segments) for j in range(1, n_statements + 1)
    ]
    if kind == "closing":
        pl["key_messages"] = [
            sentence(rng, strong=rng.random() < 0.5) for _ in range(rng.randint(4, 8))
        ]
    return pl


def generate(size: Size, seed: int = SEED) -> Data:
    """Build the whole session for ``size``; deterministic for a given seed."""
    rng = random.Random(f"{seed}-{size.name}")
    sid = f"bench-{size.name.lower()}"
    start = date(2025, 3, 3)
    days = max(1, math.ceil(size.plenaries / 4))
    url = f"https://conference.example.org/{sid}/"
    orgs = organizations(rng, size.organizations, (*ORGANIZATIONS, *size.extra_organizations))
    doc: Data = {
        "format": 1,
        "pack": {
            "title": f"Briefing pack: benchmark session {size.name}",
            "subtitle": "Eleventh session of the Conference on Coastal Resilience",
            "publisher": orgs[0]["id"],
            "edition": start + timedelta(days=days),
            "status": "draft",
            "language": "en",
            "paper": "A4",
            "contact": "Briefing unit, briefing@conference.example.org",
        },
        "session": {
            "id": sid,
            "name": "Eleventh session of the Intergovernmental Conference on Coastal Resilience",
            "short_name": "ICCR-11",
            "venue": "Palais des Nations, Genève",
            "start": start,
            "end": start + timedelta(days=days - 1),
            "hashtags": ["#ICCR11", "#CoastalResilience"],
            "url": url,
        },
        "organizations": orgs,
    }
    kinds = plenary_kinds(size.plenaries)
    counts = split_statements(rng, size.statements, kinds)
    ctx: Data = {"orgs": orgs, "url": url, "languages": languages_of(size)}
    if size.languages:  # in turn, statement after statement
        turn = itertools.cycle(size.languages)
        ctx["language"] = lambda _rng: next(turn)
    else:  # drawn at random
        ctx["language"] = lambda rng: LANGUAGES[statement_language(rng)]
    doc["plenaries"] = [
        plenary(rng, i + 1, kind, start + timedelta(days=i * days // size.plenaries), n, ctx)
        for i, (kind, n) in enumerate(zip(kinds, counts, strict=True))
    ]
    fill_texts(rng, doc, size.target_words, ctx["languages"])
    return doc


def languages_of(size: Size) -> dict[str, Language]:
    """The languages of ``size``'s statements by tag (English always among them)."""
    if not size.languages:
        return LANGUAGES
    return {lang.tag: lang for lang in size.languages}


def statements_of(doc: Data) -> Iterator[Data]:
    for pl in doc["plenaries"]:
        yield from pl["statements"]


def fill_texts(
    rng: random.Random, doc: Data, target_words: int, languages: dict[str, Language]
) -> None:
    """Give every statement a full text so that the file totals ``target_words``.

    Each text gets a random share of the remaining budget, corrected by the running
    difference between planned and written words, so the total lands on target.
    """
    statements = list(statements_of(doc))
    remaining = max(20 * len(statements), target_words - count_words(doc))
    texts_in = [languages[st.get("language", "en")] for st in statements]
    shares = [1 / lang.words_per_token for lang in texts_in]
    budgets = word_budgets(
        rng, len(statements), remaining, shares if any(s != 1 for s in shares) else None
    )
    drift = 0
    for st, language, budget in zip(statements, texts_in, budgets, strict=True):
        wanted = max(20, budget - drift)
        st["text"] = full_text(rng, wanted, language, st.get("url", ""))
        drift += len(st["text"].split()) - budget


# --- checks and output ------------------------------------------------------------

NOT_PROSE = {"id", "by", "on_behalf_of", "segment", "url", "language", "kind", "publisher"}


def strings(node: Any, key: str = "") -> Iterator[str]:
    """Every prose string value in ``node`` (ids, URLs and enum-like keys excluded)."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from strings(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from strings(v, key)
    elif isinstance(node, str) and key not in NOT_PROSE:
        yield node


def count_words(doc: Data) -> int:
    return sum(len(s.split()) for s in strings(doc))


def check(doc: Data) -> None:
    """Assert the invariants of input format v1 that the generator must respect."""
    session = doc["session"]
    start, end = session["start"], session["end"]
    org_ids = {o["id"] for o in doc["organizations"]}
    plenary_ids: set[str] = set()
    statement_ids: set[str] = set()
    for pl in doc["plenaries"]:
        assert SLUG.fullmatch(pl["id"]) and pl["id"] not in plenary_ids, pl["id"]
        plenary_ids.add(pl["id"])
        assert isinstance(pl["date"], date) and start <= pl["date"] <= end, pl["id"]
        assert pl["kind"] != "closing" or pl.get("key_messages"), pl["id"]
        seg_ids = [s["id"] for s in pl.get("segments", [])]
        assert len(seg_ids) == len(set(seg_ids)), pl["id"]
        for st in pl["statements"]:
            assert SLUG.fullmatch(st["id"]) and st["id"] not in statement_ids, st["id"]
            statement_ids.add(st["id"])
            assert st["by"] in org_ids and st.get("on_behalf_of", st["by"]) in org_ids
            assert st.get("segment", seg_ids[0] if seg_ids else None) in (seg_ids or [None])
            assert "\n" not in st["title"] and st["text"], st["id"]
    for o in doc["organizations"]:
        assert SLUG.fullmatch(o["id"]) and "\n" not in o["name"], o["id"]
    assert all(not CONTROL.search(s) for s in strings(doc))


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line strings as literal blocks (``|``)."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump(doc: Data) -> str:
    header = "# Synthetic briefgen benchmark input, generated by bench/generate.py.\n"
    body = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, indent=2)
    return header + body


def load(text: str) -> Data:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: Data = yaml.load(text, Loader=loader)
    return data


@dataclass(frozen=True)
class Written:
    path: Path
    words: int
    statements: int
    sha256: str


def write(size: Size, out: Path) -> Written:
    """Generate, check, dump, reload and compare; then write ``bench-<size>.yaml``."""
    doc = generate(size)
    check(doc)
    text = dump(doc)
    reloaded = load(text)
    if reloaded != doc:
        raise SystemExit(f"{size.name}: YAML round trip changed the data")
    path = out / f"bench-{size.name.lower()}.yaml"
    path.write_bytes(text.encode("utf-8"))
    return Written(
        path=path,
        words=count_words(reloaded),
        statements=sum(1 for _ in statements_of(reloaded)),
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate synthetic briefgen benchmark inputs.")
    parser.add_argument("sizes", nargs="+", type=str.upper, choices=sorted(SIZES))
    parser.add_argument("--out", type=Path, default=Path("bench/inputs"))
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.sizes:
        size = SIZES[name]
        w = write(size, args.out)
        deviation = (w.words - size.target_words) / size.target_words
        print(
            f"{w.path}: {w.words:,} words (target {size.target_words:,}, {deviation:+.1%}), "
            f"{size.plenaries} plenaries, {w.statements} statements, "
            f"{w.path.stat().st_size / 1e6:.2f} MB, sha256 {w.sha256[:16]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
