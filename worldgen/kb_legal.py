"""Knowledge-base content: general terms of sale (legal text, long and repetitive on purpose)."""

from .kbmodel import DocSpec, F

_CLAUSES = [
    ("1. Objeto y ámbito de aplicación",
     "Las presentes Condiciones Generales de Venta (en adelante, las «Condiciones») regulan la relación "
     "contractual de compraventa entre Mercadela Comercio Online, S.L. (en adelante, «Mercadela») y las "
     "personas que adquieran productos a través del sitio web mercadela.es y de la aplicación móvil de "
     "Mercadela (en adelante, el «Cliente»). La realización de un pedido implica la aceptación expresa y "
     "sin reservas de las presentes Condiciones en la versión publicada en el momento de realizar el pedido. "
     "Mercadela se reserva el derecho a modificar las presentes Condiciones en cualquier momento, sin que "
     "dichas modificaciones afecten a los pedidos realizados con anterioridad a su publicación."),
    ("2. Capacidad para contratar",
     "Para realizar pedidos, el Cliente declara ser mayor de edad y disponer de capacidad legal para "
     "contratar. Los productos se venden a consumidores finales; las compras con fines profesionales se "
     "rigen además por las condiciones particulares de Mercadela Empresas. Mercadela podrá rechazar pedidos "
     "que, por las cantidades solicitadas o por otros indicios, no correspondan al consumo habitual de un "
     "consumidor final."),
    ("3. Proceso de compra",
     "El Cliente selecciona los productos, los añade al carrito, elige la dirección y el método de envío, "
     "elige el método de pago y confirma el pedido pulsando el botón «Confirmar y pagar». Mercadela enviará "
     "al Cliente un correo electrónico de confirmación del pedido con el resumen de los productos, los "
     "precios, los gastos de envío y los datos de entrega. El contrato se entiende perfeccionado en el "
     "momento del envío de dicho correo electrónico de confirmación. El Cliente podrá consultar en todo "
     "momento el estado de su pedido en el apartado «Mis pedidos»."),
    ("4. Precios",
     None),
    ("5. Pago",
     "El pago se realiza por cualquiera de los medios indicados en la página «Métodos de pago aceptados». "
     "Mercadela utiliza pasarelas de pago seguras y no almacena en ningún caso los datos completos de las "
     "tarjetas de pago del Cliente. En caso de que la entidad emisora de la tarjeta no autorice el cargo, el "
     "pedido quedará cancelado automáticamente, y así se comunicará al Cliente por correo electrónico."),
    ("6. Entrega",
     "Los plazos de entrega indicados en el sitio web son orientativos y se cuentan en días laborables. En "
     "todo caso, Mercadela entregará los productos en un plazo máximo de 30 días naturales desde la "
     "celebración del contrato, salvo que se haya pactado otro plazo. Si Mercadela no pudiera cumplir el "
     "plazo de entrega por falta de disponibilidad del producto, informará al Cliente y le reembolsará sin "
     "demora las cantidades abonadas. El riesgo de pérdida o deterioro de los productos se transmite al "
     "Cliente en el momento de la entrega."),
    ("7. Derecho de desistimiento",
     None),
    ("8. Garantía",
     "Los productos gozan de la garantía legal establecida en el Real Decreto Legislativo 1/2007, por el que "
     "se aprueba el texto refundido de la Ley General para la Defensa de los Consumidores y Usuarios. Las "
     "condiciones de la garantía se detallan en el artículo «Garantía legal de los productos» del centro de "
     "ayuda. La garantía comercial adicional Mercadela Protect se rige por sus propias condiciones."),
    ("9. Responsabilidad",
     "Mercadela no será responsable de los retrasos o incumplimientos causados por circunstancias de fuerza "
     "mayor, como huelgas de transporte, fenómenos meteorológicos extraordinarios, cortes de suministro o "
     "decisiones de las autoridades. En tales casos, Mercadela informará al Cliente y le ofrecerá la "
     "posibilidad de cancelar el pedido con el reembolso íntegro de las cantidades abonadas."),
    ("10. Protección de datos",
     "Los datos personales facilitados por el Cliente serán tratados por Mercadela como responsable del "
     "tratamiento con la finalidad de gestionar la relación contractual, conforme a lo indicado en la "
     "Política de Privacidad, que el Cliente declara haber leído. El Cliente puede ejercer sus derechos de "
     "acceso, rectificación, supresión, oposición, limitación y portabilidad en los términos indicados en "
     "dicha política."),
    ("11. Legislación aplicable y jurisdicción",
     None),
]

_SPECIAL = {
    "4. Precios": (
        "Los precios de los productos se indican en euros e incluyen los impuestos aplicables en el "
        "momento del pedido, salvo en los envíos a Canarias, Ceuta y Melilla, donde se muestran sin "
        "impuestos. Los gastos de envío y los servicios adicionales se indican por separado antes de "
        "confirmar el pedido. En caso de error manifiesto en el precio, Mercadela informará al "
        "Cliente, que podrá confirmar el pedido al precio correcto o cancelarlo sin coste.",
        F("F-LEG-001", "Los precios mostrados en mercadela.es incluyen el IVA del 21 %, salvo en los "
          "productos con tipo reducido, que se indican en la ficha.", ["IVA del 21 %"],
          ["¿Los precios de la web llevan IVA?", "¿El precio que veis incluye impuestos?"],
          "21 %", ["21 por ciento"], ["10 %", "17,36 %"], obscurity=0.1),
    ),
    "7. Derecho de desistimiento": (
        "De conformidad con la normativa vigente, el Cliente consumidor dispone de un derecho legal "
        "de desistimiento que le permite devolver los productos sin necesidad de justificación. "
        "Mercadela amplía voluntariamente este plazo según lo indicado en la Política de "
        "devoluciones. Para ejercer el derecho de desistimiento, el Cliente puede utilizar el "
        "formulario disponible en «Mis pedidos» o cualquier otra declaración inequívoca.",
        F("F-LEG-002", "El derecho legal de desistimiento es de 14 días naturales desde la entrega, "
          "aunque Mercadela lo amplía a 30 días.", ["derecho legal de desistimiento", "14 días naturales"],
          ["¿Cuántos días de desistimiento marca la ley?",
           "¿Cuál es el plazo legal para desistir de una compra online?"],
          "14 días naturales", ["14 días", "catorce días"], ["30 días naturales", "90 días naturales"],
          obscurity=0.3),
        "Quedan excluidos del derecho de desistimiento los productos indicados en la normativa "
        "aplicable, en particular los bienes confeccionados conforme a las especificaciones del "
        "Cliente, los bienes precintados que no sean aptos para ser devueltos por razones de "
        "protección de la salud o de higiene y que hayan sido desprecintados tras la entrega, y "
        "los contenidos digitales cuya ejecución haya comenzado con el consentimiento del Cliente.",
    ),
    "11. Legislación aplicable y jurisdicción": (
        "Las presentes Condiciones se rigen por la legislación española. Para la resolución de "
        "cualquier controversia, las partes se someten a los juzgados y tribunales del domicilio "
        "del Cliente consumidor. El Cliente puede acudir asimismo a la plataforma europea de "
        "resolución de litigios en línea.",
        F("F-LEG-003", "Mercadela está adherida a la Junta Arbitral de Consumo de la Comunidad de "
          "Madrid.", ["Junta Arbitral de Consumo de la Comunidad de Madrid"],
          ["¿A qué junta arbitral está adherida la tienda?", "¿Estáis en el sistema arbitral de consumo?"],
          "Comunidad de Madrid", ["de Madrid"], ["Cataluña", "Andalucía"], obscurity=0.4),
    ),
}

DOCS = [
    DocSpec("LEG-01", "Condiciones generales de venta", "legal",
            "Te recomendamos leer atentamente estas Condiciones Generales de Venta antes de realizar tu pedido. "
            "Puedes descargarlas en PDF o imprimirlas desde esta misma página. Estas Condiciones están "
            "disponibles en español; en caso de traducción a otro idioma prevalecerá la versión en español.",
            tuple((heading, _SPECIAL.get(heading) or (text,)) for heading, text in _CLAUSES),
            updated="1 de septiembre de 2025",
            related=("DEV-01", "GAR-01", "CUE-02")),
]
