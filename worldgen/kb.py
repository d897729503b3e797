"""Assemble the help-centre pages into knowledge-base documents and facts.

Each page is laid out as the shop's CMS exports it: breadcrumb and metadata,
a table of contents, the sections, a FAQ block that restates the key facts,
related articles, and the same contact block and legal footer on every page.
That boilerplate is deliberate: it is what context trimming and compression
exercises remove. This module also declares the near-miss *families* (questions
that differ in one detail and have different answers). It does not write files.
"""

from __future__ import annotations

import random

from . import kb_cuenta, kb_devoluciones, kb_envios, kb_garantia, kb_legal, kb_pagos, kb_pedidos, kb_promos
from .kbmodel import DocSpec, FactSpec, Family
from .phrasing import fill_slots
from .scenario import ADDRESS, COMPANY, EMAIL, PHONE, SHOP

CATEGORY_NAMES = {"envios": "Envíos y entregas", "devoluciones": "Devoluciones y reembolsos",
                  "pagos": "Pagos y facturas", "garantia": "Garantía y reparaciones", "cuenta": "Mi cuenta",
                  "promociones": "Promociones y ventajas", "pedidos": "Pedidos", "productos": "Productos y servicios",
                  "atencion": "Atención al cliente",
                  "legal": "Información legal", "general": "Lo más consultado"}


def all_doc_specs() -> list[DocSpec]:
    """Every page, in a fixed order.

    >>> len(all_doc_specs()) >= 25
    True
    """
    docs = []
    for module in (kb_envios, kb_devoluciones, kb_pagos, kb_garantia, kb_cuenta, kb_promos, kb_pedidos, kb_legal):
        docs.extend(module.DOCS)
    return docs


def fact_specs(doc: DocSpec) -> list[FactSpec]:
    return [item for _, items in doc.sections for item in items if isinstance(item, FactSpec)]


def _header(doc: DocSpec, toc: list[str]) -> list[str]:
    lines = [f"Centro de ayuda {SHOP} > {CATEGORY_NAMES[doc.category]} > {doc.title}", "",
             f"# {doc.title}", "",
             f"Última actualización: {doc.updated} · Referencia del artículo: {doc.doc_id} · "
             "Tiempo de lectura: 4 minutos", "",
             "En este artículo:"]
    lines += [f"- {h}" for h in toc] + ["- Preguntas frecuentes", "- ¿Necesitas más ayuda?", ""]
    return lines


def faq_heading(fact: FactSpec, index: int = 0) -> str:
    """The question as the help centre prints it above a fact (slots filled, fixed per fact)."""
    return fill_slots(fact.questions[index], random.Random(fact.fact_id))


def _faq(facts: list[FactSpec]) -> list[str]:
    lines = ["## Preguntas frecuentes", ""]
    for fact in facts:
        lines += [f"**{faq_heading(fact)}**", fact.text, ""]
    return lines


_CHANGES = ["Revisión general del texto", "Actualización de precios y plazos", "Nuevas preguntas frecuentes",
            "Adaptación a la campaña de Navidad", "Corrección de erratas", "Nuevo diseño del centro de ayuda"]
_DATES = ["12 de febrero de 2024", "3 de junio de 2024", "28 de octubre de 2024", "20 de enero de 2025",
          "14 de mayo de 2025", "1 de septiembre de 2025"]


def _changelog(index: int, updated: str) -> list[str]:
    """Three dated changes, in order, the last one on the page's update date."""
    first, second = [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)][index % 6]
    rows = [f"| {_DATES[first]} | {_CHANGES[index % len(_CHANGES)]} |",
            f"| {_DATES[second]} | {_CHANGES[(index + 2) % len(_CHANGES)]} |",
            f"| {updated} | {_CHANGES[(index + 4) % len(_CHANGES)]} |"]
    return ["## Historial de cambios", "", "| Fecha | Cambio |", "|---|---|"] + rows + [""]


def _footer(doc: DocSpec, titles: dict) -> list[str]:
    lines = _changelog(sum(map(ord, doc.doc_id)), doc.updated) + ["## Artículos relacionados", ""]
    lines += [f"- {titles[r]}" for r in doc.related if r in titles]
    lines += [
        "", "¿Te ha resultado útil este artículo? Sí · No", "",
        "## ¿Necesitas más ayuda?", "",
        f"Si no has encontrado lo que buscabas, nuestro equipo de atención al cliente estará encantado de "
        f"ayudarte. Puedes escribirnos por chat de lunes a viernes de 9:00 a 21:00 y los sábados de 10:00 a "
        f"14:00, llamarnos gratis al {PHONE} de lunes a viernes de 9:00 a 19:00 o enviarnos un correo a "
        f"{EMAIL}. Para agilizar tu consulta, ten a mano tu número de pedido (lo encontrarás en el correo de "
        f"confirmación y en «Mis pedidos») y, si se trata de un producto dañado o defectuoso, alguna foto.", "",
        "Información importante: los plazos, precios y condiciones descritos en este artículo son los "
        "vigentes en la fecha de la última actualización y pueden cambiar durante campañas especiales. En caso "
        "de discrepancia prevalecen las condiciones mostradas durante el proceso de compra y las Condiciones "
        "Generales de Venta aceptadas al realizar el pedido. Nada de lo indicado en este artículo limita los "
        "derechos que te reconoce la normativa de protección de los consumidores y usuarios.", "",
        "---", "",
        f"{COMPANY} · CIF B-00000000 · {ADDRESS} · Inscrita en el Registro Mercantil de Madrid. "
        f"© {SHOP} 2025. Todos los derechos reservados. Aviso legal · Condiciones generales de venta · "
        "Política de privacidad · Política de cookies · Accesibilidad · Canal ético.", "",
        "Utilizamos cookies propias y de terceros para mejorar nuestros servicios y mostrarte publicidad "
        "relacionada con tus preferencias mediante el análisis de tus hábitos de navegación. Puedes aceptar "
        "todas las cookies, rechazarlas o configurarlas desde el panel de preferencias.",
    ]
    return lines


def render(doc: DocSpec, titles: dict) -> str:
    """The full text of a page, with its boilerplate."""
    toc = [heading for heading, _ in doc.sections]
    lines = _header(doc, toc) + [doc.intro, ""]
    for heading, items in doc.sections:
        lines += [f"## {heading}", ""]
        for item in items:
            lines += [item.text if isinstance(item, FactSpec) else item, ""]
    lines += _faq(fact_specs(doc)) + _footer(doc, titles)
    return "\n".join(lines).rstrip() + "\n"


def general_faq_doc(specs: list[DocSpec]) -> DocSpec:
    """The "most asked" page: restates one fact in three from the other pages (real help centres do)."""
    items = []
    for doc in specs:
        for i, fact in enumerate(fact_specs(doc)):
            if i % 3 == 0:
                items += [f"**{faq_heading(fact, -1)}**", fact.text]
    sections = (("Lo que más nos preguntáis", tuple(items)),)
    return DocSpec("AYU-01", "Preguntas frecuentes: lo más consultado", "general",
                   "Hemos reunido aquí las preguntas que más recibimos en el chat y por correo electrónico. "
                   "Cada respuesta resume el artículo correspondiente del centro de ayuda, donde encontrarás "
                   "todos los detalles y excepciones.", sections, related=("ENV-01", "DEV-01", "PAG-01"))


def build_kb() -> tuple[list[dict], list[dict], list[FactSpec]]:
    """Documents and facts as the records written to ``kb_documents.jsonl`` / ``kb_facts.jsonl``.

    >>> docs, facts, specs = build_kb()
    >>> all(f["text"] in next(d["text"] for d in docs if d["doc_id"] == f["doc_id"]) for f in facts)
    True
    """
    specs = all_doc_specs()
    specs.append(general_faq_doc(specs))
    titles = {d.doc_id: d.title for d in specs}
    docs, facts, fspecs = [], [], []
    for doc in specs:
        docs.append({"doc_id": doc.doc_id, "title": doc.title, "category": doc.category,
                     "text": render(doc, titles)})
        for fact in fact_specs(doc):
            fact = FactSpec(**{**fact.__dict__, "topic": doc.category})
            fspecs.append(fact)
            facts.append({"fact_id": fact.fact_id, "doc_id": doc.doc_id, "text": fact.text,
                          "keywords": list(fact.keywords)})
    return docs, facts, fspecs


FAMILIES = [
    Family("coste_envio_destino",
           ("¿Cuánto cuesta el envío a {x}?", "¿Qué gastos de envío tenéis para {x}?",
            "¿Cuánto me cobráis de envío si vivo en {x}?", "Precio del envío a {x}",
            "¿Cuánto pago de portes para un pedido a {x}?"),
           {"Madrid": "F-ENV-001", "Canarias": "F-ENV-008", "Baleares": "F-ENV-006", "Ceuta": "F-ENV-012",
            "Portugal": "F-ENV-021", "Francia": "F-ENV-022", "Sevilla": "F-ENV-001", "Tenerife": "F-ENV-008"}),
    Family("plazo_envio_destino",
           ("¿Cuánto tarda en llegar un pedido a {x}?", "¿En cuántos días llega el envío a {x}?",
            "Si pido hoy, ¿cuándo me llega a {x}?", "Plazo de entrega para {x}"),
           {"Madrid": "F-ENV-003", "Canarias": "F-ENV-009", "Baleares": "F-ENV-007", "Valencia": "F-ENV-003",
            "Lanzarote": "F-ENV-009", "Mallorca": "F-ENV-007"}),
    Family("reembolso_metodo",
           ("¿Cuánto tarda el reembolso si pagué con {x}?",
            "Devolví un pedido pagado con {x}, ¿cuándo me llega el dinero?",
            "¿En cuántos días recibo la devolución del dinero pagando con {x}?", "Reembolso con {x}: ¿cuánto tarda?"),
           {"PayPal": "F-DEV-012", "Bizum": "F-DEV-013", "tarjeta": "F-DEV-011", "contra reembolso": "F-DEV-014"}),
    Family("limite_metodo_pago",
           ("¿Hay un importe máximo para pagar con {x}?", "¿Hasta cuánto puedo pagar con {x}?",
            "¿Cuál es el límite de compra con {x}?"),
           {"Bizum": "F-PAG-003", "PayPal": "F-PAG-004", "American Express": "F-PAG-001"}),
    Family("paga_luego_plazo",
           ("¿Cuánto cuesta pagar a {x} con Paga Luego?", "Si uso Paga Luego a {x}, ¿tiene comisión?",
            "¿Qué me cobráis por aplazar el pago {x}?", "Paga Luego a {x}: ¿hay algún coste?"),
           {"30 días": "F-PAG-007", "90 días": "F-PAG-008"}),
    Family("plazo_devolucion_socio",
           ("¿Cuántos días tengo para devolver un pedido {x}?", "¿Cuál es el plazo de devolución {x}?",
            "¿Hasta cuándo puedo devolver algo {x}?"),
           {"sin ser socio Plus": "F-DEV-001", "siendo socio Plus": "F-DEV-002",
            "si lo compré en Navidad": "F-DEV-003"}),
    Family("coste_devolucion_forma",
           ("¿Cuánto cuesta devolver un producto {x}?", "¿Tiene coste hacer la devolución {x}?",
            "Si hago la devolución {x}, ¿pago algo?"),
           {"en una oficina de Correos": "F-DEV-006", "con recogida a domicilio": "F-DEV-007",
            "de una lavadora": "F-DEV-008"}),
    Family("garantia_tipo_producto",
           ("¿Cuánta garantía tiene {x}?", "¿Cuánto dura la garantía de {x}?", "Garantía de {x}: ¿cuántos años?"),
           {"un móvil nuevo": "F-GAR-001", "un móvil reacondicionado": "F-GAR-002",
            "la batería del patinete": "F-GAR-003"}),
    Family("protect_modalidad",
           ("¿Cuánto cuesta Mercadela Protect {x}?", "¿Qué porcentaje del precio cuesta Protect {x}?"),
           {"Ampliada": "F-GAR-005", "Total": "F-GAR-006"}),
    Family("instalacion_aparato",
           ("¿Cuánto cuesta {x}?", "¿Qué me cobráis por {x}?", "Precio de {x}"),
           {"la instalación de la lavadora": "F-PRD-002", "el montaje de la tele en la pared": "F-PRD-003",
            "subir la lavadora a casa": "F-PRD-001"}),
    Family("enlace_caducidad",
           ("¿Cuánto dura el enlace {x}?", "¿Cuándo caduca el enlace {x}?"),
           {"para verificar el correo": "F-CUE-001", "para cambiar la contraseña": "F-CUE-003"}),
    Family("caducidad_saldo",
           ("¿Cuándo caducan {x}?", "¿Cuánto tiempo tengo para usar {x}?"),
           {"las tarjetas regalo": "F-PRO-009", "los Mercapuntos": "F-PRO-012"}),
]
