"""The words and weights synthetic leads are drawn from: names, countries, titles, industries,
sources, event types, pages and timestamp forms.
"""

from __future__ import annotations

from datetime import date

AS_OF = date(2026, 11, 1)
"""The "today" the sample data is built around."""

# First names and last names by language group; a lead mostly gets names from its country's group.
NAMES: dict[str, tuple[str, str]] = {
    "en": ("James,Mary,Robert,Jennifer,Michael,Sarah,David,Emily,Daniel,Olivia,Liam,Chloe",
           "Smith,Johnson,Williams,Brown,Taylor,Wilson,O'Brien,Clarke,Walker,Harris,Murphy,Nguyen"),
    "es": ("José,María,Lucía,Javier,Sofía,Martín,Álvaro,Inés,Carmen,Andrés,Begoña,Raúl",
           "García,Núñez,Fernández,López,Martínez,Rodríguez,Pérez,Gómez,Sánchez,Ibáñez,Peña,Muñoz"),
    "pt": ("João,Conceição,Ana,Luís,Thiago,Gonçalo,Letícia,Márcia,Antônio,Joana,Vitória,Sebastião",
           "Silva,Santos,Conceição,Gonçalves,Araújo,Magalhães,Simões,Ribeiro,Fonseca,Brandão,Lopes"),
    "fr": ("Françoise,Émile,Hélène,Jérôme,Chloé,Benoît,Léa,François,Amélie,Zoé,Gaëlle,Loïc",
           "Dubois,Lefèvre,Moreau,Girard,Lambert,Rousseau,Mercier,Bélanger,Côté,Faure,Chevalier"),
    "de": ("Jürgen,Lukas,Anna,Jörg,Katrin,Stefan,Sören,Björn,Lena,Matthias,Günter,Sabine",
           "Müller,Schmidt,Schäfer,Weiß,Köhler,Becker,Hoffmann,Groß,Krüger,Schröder,Vogel,Böhm"),
    "nl": ("Daan,Sanne,Bram,Femke,Joost,Lotte,Maarten,Anouk",
           "de Vries,van Dijk,Jansen,Bakker,Visser,Smit,de Jong,van den Berg"),
    "in": ("Aarav,Priya,Rohan,Ananya,Vikram,Sneha,Arjun,Kavya",
           "Sharma,Patel,Iyer,Reddy,Gupta,Nair,Singh,Menon"),
}  # fmt: skip
GROUPS = list(NAMES)

# (country, weight, name group, legal suffix)
COUNTRIES = [
    ("United States", 30, "en", "Inc."), ("Canada", 5, "en", "Inc."),
    ("United Kingdom", 9, "en", "Ltd"), ("Ireland", 2, "en", "Ltd"),
    ("Australia", 4, "en", "Pty Ltd"), ("Germany", 7, "de", "GmbH"),
    ("Netherlands", 3, "nl", "B.V."), ("France", 6, "fr", "SAS"),
    ("Spain", 6, "es", "S.L."), ("Mexico", 5, "es", "S.A. de C.V."),
    ("Argentina", 3, "es", "S.A."), ("Colombia", 2, "es", "S.A.S."),
    ("Brazil", 6, "pt", "Ltda."), ("Portugal", 3, "pt", "Lda."), ("India", 8, "in", "Pvt Ltd"),
]  # fmt: skip

# (title, weight, seniority): 3 executive, 2 manager, 1 individual contributor, 0 non-buyer
TITLES = [
    ("CEO", 2, 3), ("Founder", 2, 3), ("Co-founder", 1, 3), ("Chief Marketing Officer", 1.5, 3),
    ("Chief Technology Officer", 1, 3), ("Chief Financial Officer", 0.7, 3), ("VP Sales", 2, 3),
    ("VP of Marketing", 1.5, 3), ("Vice President, Operations", 0.8, 3), ("Director of IT", 2, 3),
    ("Director of Marketing", 2, 3), ("Sales Director", 1.5, 3), ("Head of Growth", 1.5, 3),
    ("Head of Data", 1, 3), ("Directeur Commercial", 0.5, 3), ("Marketing Manager", 5, 2),
    ("Sales Manager", 4, 2), ("IT Manager", 3, 2), ("Product Manager", 3, 2),
    ("Operations Manager", 3, 2), ("Account Manager", 2, 2), ("Gerente de Marketing", 1, 2),
    ("Software Engineer", 6, 1), ("Data Analyst", 4, 1), ("Analyst", 3, 1), ("Consultant", 4, 1),
    ("Marketing Specialist", 3, 1), ("Sales Representative", 3, 1), ("Accountant", 2, 1),
    ("Designer", 1.5, 1), ("Project Coordinator", 2, 1), ("Student", 3, 0), ("Retired", 1, 0),
    ("Intern", 1.5, 0),
]  # fmt: skip

INDUSTRIES = [
    ("Software", 22), ("Financial Services", 10), ("Healthcare", 9), ("Manufacturing", 10),
    ("Retail", 8), ("Education", 7), ("Government", 4), ("Non-profit", 4), ("Media", 5),
    ("Professional Services", 8), ("Telecommunications", 3), ("Energy", 3), ("Logistics", 4),
]  # fmt: skip
TARGET_INDUSTRIES = ("Software", "Financial Services", "Healthcare", "Manufacturing")

SOURCES = [
    ("Organic search", 25), ("Paid search", 18), ("Paid social", 12), ("Webinar", 8),
    ("Referral", 8), ("Trade show", 7), ("Content download", 15), ("Partner", 7),
]  # fmt: skip
PERSONAL_DOMAINS = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com")
COMPANY_WORDS = (
    ("Blue", "North", "Silver", "Bright", "Iron", "Cedar", "Harbor", "Summit", "Atlas", "Nova",
     "Pioneer", "Solar", "Granite", "Maple", "River", "Eagle", "Lumen", "Quantum", "Vertex", "Coral",
     "Falcon", "Orbit", "Prairie", "Aurora"),
    ("Ridge", "Point", "Bridge", "Works", "Labs", "Systems", "Dynamics", "Logic", "Stone", "Field",
     "Wave", "Peak", "Path", "Forge", "Grid", "Health", "Capital", "Foods", "Media", "Retail"),
)  # fmt: skip
REPS = ("maria@acme.test", "tom@acme.test", "aiko@acme.test", "rahul@acme.test", "lucia@acme.test")
PLACEHOLDERS = ("N/A", "Select", "-")
YES_VARIANTS, NO_VARIANTS = ("Yes", "TRUE", "y", "1"), ("No", "FALSE", "n", "0")

LEAD_COLUMNS = (
    "lead_id", "first_name", "last_name", "email", "company", "job_title", "industry",
    "company_size", "country", "lead_source", "website_visits", "email_clicks",
    "content_downloads", "pricing_page_views", "webinar_attended", "demo_requested",
    "unsubscribed", "last_activity", "created_at", "owner",
)  # fmt: skip
COUNT_COLUMNS = ("website_visits", "email_clicks", "content_downloads", "pricing_page_views")

# (event, weight): page views and e-mail opens dominate, as in any marketing automation log.
EVENT_TYPES = [
    ("page_view", 40), ("email_open", 30), ("email_click", 10), ("pricing_page_view", 5),
    ("content_download", 6), ("webinar_attended", 2), ("demo_request", 1.2), ("unsubscribe", 0.6),
]  # fmt: skip
EVENT_NAMES = [e[0] for e in EVENT_TYPES]
PAGES = [
    ("/", 20), ("/product/lead-scoring", 8), ("/product/integrations", 5), ("/product/analytics", 4),
    ("/blog/what-is-an-mql", 6), ("/blog/lead-scoring-models", 6), ("/customers", 4),
    ("/blog/b2b-funnel-benchmarks-2026", 4), ("/about", 3), ("/careers", 2), ("/contact", 2),
    ("/docs/getting-started", 3),
]  # fmt: skip
# (date/time separator, suffix, minutes east of UTC, weight); the naive form is UTC wall time.
TIMESTAMP_FORMS = [
    ("T", "Z", 0, 60), ("T", "+02:00", 120, 6), ("T", "+01:00", 60, 5), ("T", "-05:00", -300, 4),
    ("T", "-03:00", -180, 3), ("T", "+05:30", 330, 2), (" ", "", 0, 20),
]  # fmt: skip
REASONS_UP = ("Met at trade show", "Budget confirmed on call", "Referred by a customer")
REASONS_DOWN = ("Competitor customer", "No budget this year", "Wrong contact")
