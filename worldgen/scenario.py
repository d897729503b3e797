"""The running scenario: Mercadela, a fictional Spanish online shop, and its teams.

Constants only: the shop's identity, product catalogue, the internal teams and
the product features that call the support assistant, places and names used
to fill questions. Nothing here is random; generators draw from these lists.
"""

SHOP = "Mercadela"
COMPANY = "Mercadela Comercio Online, S.L."
ADDRESS = "Calle de la Ribera del Manzanares 14, 28045 Madrid"
PHONE = "900 828 314"
EMAIL = "ayuda@mercadela.es"
START_DATE = "2026-01-05"  # first day of traffic (a Monday)

# (name, category, price in euro cents)
PRODUCTS = [
    ("auriculares inalámbricos Sonora Buds 2", "audio", 4990),
    ("barra de sonido Sonora Bar 300", "audio", 12900),
    ("altavoz bluetooth Sonora Mini", "audio", 3490),
    ("robot aspirador Limpio R5", "hogar", 19900),
    ("freidora de aire Crujiente 5L", "cocina", 7990),
    ("cafetera superautomática Aroma Pro", "cocina", 34900),
    ("batidora de vaso Vórtice 1200", "cocina", 5990),
    ("microondas Calor 25L", "cocina", 11900),
    ("lavadora Espuma 8 kg", "grandes", 42900),
    ("frigorífico combi Polar 185", "grandes", 59900),
    ("televisor Visión 55 4K", "tv", 49900),
    ("televisor Visión 43 Full HD", "tv", 27900),
    ("portátil Nube 14", "informatica", 64900),
    ("tablet Nube Tab 10", "informatica", 21900),
    ("monitor Nítido 27", "informatica", 18900),
    ("teclado mecánico Tecla K2", "informatica", 6990),
    ("móvil Lince A54", "telefonia", 29900),
    ("smartwatch Pulso 3", "telefonia", 14900),
    ("patinete eléctrico Brisa S1", "movilidad", 39900),
    ("cepillo eléctrico Sonrisa 500", "cuidado", 3990),
    ("secador de pelo Céfiro 2200", "cuidado", 4590),
    ("lámpara de escritorio Foco LED", "hogar", 2490),
    ("colchón Sueño Viscoelástico 150", "descanso", 32900),
    ("cortacésped Verde 1400", "jardin", 15900),
    ("consola Juega Portátil", "gaming", 29900),
]

PRODUCT_SHORT = ["los auriculares", "la freidora", "el robot aspirador", "la cafetera", "el portátil",
                 "la tele", "el móvil", "el patinete", "la tablet", "el smartwatch", "la batidora",
                 "el microondas", "el monitor", "el secador", "la lavadora", "el altavoz", "la barra de sonido"]

CITIES_PENINSULA = ["Madrid", "Sevilla", "Zaragoza", "Valladolid", "Bilbao", "Murcia", "Granada", "Vigo",
                    "Salamanca", "Alicante", "Córdoba", "Oviedo", "Badajoz", "Burgos", "Toledo", "Girona"]

# Teams, and the product features of each team that call the assistant.
TEAMS = {
    "ecommerce": ["chat_web", "asistente_app"],
    "atencion_cliente": ["copiloto_agentes", "clasificador_tickets"],
    "postventa": ["devoluciones", "garantias"],
    "logistica": ["seguimiento_envios"],
    "finanzas": ["facturacion"],
    "marketing": ["campanas_email"],
}

FEATURE_DESCRIPTIONS = {
    "chat_web": "Chat de ayuda en mercadela.es: responde a clientes con la base de conocimiento.",
    "asistente_app": "Asistente dentro de la app móvil; preguntas cortas, muchas desde el móvil.",
    "copiloto_agentes": "Sugiere respuestas a los agentes humanos del centro de atención.",
    "clasificador_tickets": "Clasifica la intención de los correos entrantes y extrae datos (pedido, CP…).",
    "devoluciones": "Calcula reembolsos y plazos en el portal de devoluciones.",
    "garantias": "Orienta sobre garantía legal, Mercadela Protect y servicio técnico.",
    "seguimiento_envios": "Responde dudas de plazos, costes e incidencias de transporte.",
    "facturacion": "Facturas, métodos de pago, Paga Luego y cuentas de empresa.",
    "campanas_email": "Redacta respuestas a dudas sobre cupones y campañas.",
}

FIRST_NAMES = ["Lucía", "Hugo", "Martina", "Mateo", "Sofía", "Leo", "Paula", "Daniel", "Valeria", "Pablo",
               "Carmen", "Javier", "Noelia", "Sergio", "Marta", "Andrés", "Camila", "Diego", "Rocío", "Iker",
               "Ximena", "Santiago", "Nerea", "Álvaro", "Aitana", "Jorge", "Alba", "Rubén", "Inés", "Carlos"]
LAST_NAMES = ["García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Fernández", "Ruiz", "Díaz",
              "Moreno", "Álvarez", "Romero", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil",
              "Serrano", "Castro", "Ortega", "Rubio", "Molina", "Delgado", "Morales", "Suárez", "Iglesias"]

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre"]
WEEKDAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]


_FEMININE = {"barra", "freidora", "cafetera", "batidora", "lavadora", "tablet", "lámpara", "consola"}


def article(name: str, *, definite: bool = True) -> str:
    """A product name with its article.

    >>> article("freidora de aire Crujiente 5L"), article("móvil Lince A54", definite=False)
    ('la freidora de aire Crujiente 5L', 'un móvil Lince A54')
    >>> article("auriculares inalámbricos Sonora Buds 2", definite=False)
    'unos auriculares inalámbricos Sonora Buds 2'
    """
    first = name.split()[0]
    if first == "auriculares":
        return ("los " if definite else "unos ") + name
    if first in _FEMININE:
        return ("la " if definite else "una ") + name
    return ("el " if definite else "un ") + name


def euros(cents: int) -> str:
    """Format euro cents the Spanish way.

    >>> euros(4990), euros(123456), euros(5)
    ('49,90 €', '1.234,56 €', '0,05 €')
    """
    whole, frac = divmod(abs(int(cents)), 100)
    digits = f"{whole:,}".replace(",", ".")
    sign = "-" if cents < 0 else ""
    return f"{sign}{digits},{frac:02d} €"
