"""Knowledge-base content: shipping (envíos) pages of the Mercadela help centre."""

from .kbmodel import DocSpec, F, table

PROVINCE_ROWS = [[p, z, t] for p, z, t in [
    ("Madrid", "Zona 1", "24 h"), ("Barcelona", "Zona 1", "24 h"), ("Valencia", "Zona 1", "24 h"),
    ("Toledo", "Zona 1", "24 h"), ("Guadalajara", "Zona 1", "24 h"), ("Zaragoza", "Zona 2", "24-48 h"),
    ("Sevilla", "Zona 2", "24-48 h"), ("Málaga", "Zona 2", "24-48 h"), ("Bizkaia", "Zona 2", "24-48 h"),
    ("Murcia", "Zona 2", "24-48 h"), ("Alicante", "Zona 2", "24-48 h"), ("Valladolid", "Zona 2", "24-48 h"),
    ("A Coruña", "Zona 3", "48 h"), ("Asturias", "Zona 3", "48 h"), ("Badajoz", "Zona 3", "48 h"),
    ("Cáceres", "Zona 3", "48 h"), ("Lugo", "Zona 3", "48 h"), ("Ourense", "Zona 3", "48 h"),
    ("Huelva", "Zona 3", "48 h"), ("Soria", "Zona 3", "48 h"), ("Teruel", "Zona 3", "48 h"),
    ("Girona", "Zona 2", "24-48 h"), ("Lleida", "Zona 2", "24-48 h"), ("Navarra", "Zona 2", "24-48 h"),
]]

DOCS = [
    DocSpec("ENV-01", "Envíos a la Península: plazos y costes", "envios",
            "En Mercadela queremos que recibas tu pedido cuanto antes. En esta página te explicamos cuánto "
            "cuesta el envío estándar a la Península, en qué plazo llega y qué ocurre si tu pedido se divide "
            "en varios paquetes. Los plazos se cuentan en días laborables, de lunes a viernes, sin festivos.",
            (("Coste del envío estándar", (
                F("F-ENV-001", "El envío estándar a la Península cuesta 3,95 € por pedido.", ["3,95 €"],
                  ["¿Cuánto cuesta el envío a {ciudad}?", "¿Qué me cobráis de gastos de envío a la Península?",
                   "¿Cuánto son los portes a {ciudad} en el envío normal?", "¿El envío estándar cuánto vale?"],
                  "3,95 €", ["3,95 euros"], ["5,95 €", "9,95 €", "4,95 €"]),
                F("F-ENV-002", "El envío estándar a la Península es gratuito en pedidos a partir de 49 €.",
                  ["a partir de 49 €"],
                  ["¿A partir de qué importe el envío es gratis?", "¿Desde cuánto no pago gastos de envío?",
                   "¿Cuál es el mínimo de compra para tener envío gratis en la Península?",
                   "Si gasto bastante, ¿a partir de cuánto me sale el envío gratis?"],
                  "49 €", ["49 euros"], ["79 €", "39 €", "59 €"]),
                "El importe mínimo se calcula con el total de los productos después de aplicar los cupones y "
                "descuentos, sin contar los servicios adicionales como la instalación o Mercadela Protect.",
            )),
             ("Plazos de entrega", (
                F("F-ENV-003", "Los pedidos a la Península se entregan en un plazo de 24-48 horas laborables "
                  "desde que salen de nuestro almacén.", ["24-48 horas laborables"],
                  ["¿Cuánto tarda en llegar un pedido a {ciudad}?", "¿En cuántos días me llega el pedido?",
                   "¿Cuál es el plazo de entrega del envío estándar en la Península?",
                   "Si pido hoy, ¿cuánto tarda en llegarme a casa en {ciudad}?"],
                  "24-48 horas laborables", ["24 a 48 horas", "24-48 horas", "1 o 2 días laborables"],
                  ["3-4 días laborables", "5-7 días laborables", "72 horas"]),
                F("F-ENV-004", "Los pedidos confirmados antes de las 14:00 de lunes a viernes salen del "
                  "almacén ese mismo día.", ["antes de las 14:00"],
                  ["¿Hasta qué hora tengo que pedir para que salga hoy?",
                   "¿Cuál es la hora límite para que el pedido salga el mismo día?",
                   "Si hago el pedido por la mañana, ¿hasta qué hora sale ese mismo día del almacén?"],
                  "14:00", ["14 h", "las dos de la tarde", "14.00"], ["13:00", "11:00", "18:00"]),
                "Los pedidos realizados en fin de semana o festivo nacional se preparan el siguiente día "
                "laborable. Durante campañas como el Black Friday o Navidad los plazos pueden ampliarse en "
                "uno o dos días; lo indicaremos en la ficha del producto y en el proceso de compra.",
                "Plazo orientativo por provincia (envío estándar, una vez el pedido ha salido del almacén):",
                table(["Provincia", "Zona", "Plazo habitual"], PROVINCE_ROWS),
            )),
             ("Pedidos en varios paquetes", (
                F("F-ENV-005", "Si un pedido se envía en varios paquetes, solo cobramos los gastos de envío "
                  "una vez.", ["solo cobramos los gastos de envío una vez"],
                  ["Mi pedido viene en dos paquetes, ¿cuántas veces me cobráis el envío?",
                   "Si el pedido se divide en varios envíos, ¿cuántas veces pago los portes?"],
                  "una vez", ["un solo envío", "solo una vez"], ["en cada paquete", "dos veces"],
                  obscurity=0.2),
                "Cada paquete tiene su propio número de seguimiento, que recibirás por correo electrónico en "
                "cuanto salga del almacén. Es normal que los paquetes lleguen en días distintos.",
            ))),
            related=("ENV-02", "ENV-03", "ENV-05")),
    DocSpec("ENV-02", "Envíos a Baleares, Canarias, Ceuta y Melilla", "envios",
            "Enviamos a todo el territorio nacional, también a las islas y a las ciudades autónomas. Los "
            "envíos a Canarias, Ceuta y Melilla salen del territorio del IVA, por lo que tienen plazos y "
            "trámites aduaneros propios que conviene conocer antes de comprar.",
            (("Baleares", (
                F("F-ENV-006", "El envío estándar a Baleares cuesta 5,95 € y es gratuito en pedidos desde 79 €.",
                  ["5,95 €", "desde 79 €"],
                  ["¿Cuánto cuesta el envío a Baleares?", "¿Qué gastos de envío tenéis para Mallorca?",
                   "Vivo en Ibiza, ¿cuánto pago de envío?"],
                  "5,95 €", ["5,95 euros"], ["3,95 €", "9,95 €", "12,95 €"]),
                F("F-ENV-007", "Los pedidos a Baleares se entregan en 3-4 días laborables.",
                  ["3-4 días laborables"],
                  ["¿Cuánto tarda un pedido en llegar a Baleares?", "¿En cuántos días llega a Menorca?"],
                  "3-4 días laborables", ["3 a 4 días laborables", "3-4 días"],
                  ["24-48 horas laborables", "5-7 días laborables", "6-8 días laborables"]),
            )),
             ("Canarias", (
                F("F-ENV-008", "El envío estándar a Canarias cuesta 9,95 € por pedido, sin envío gratuito por "
                  "importe mínimo.", ["9,95 €", "Canarias"],
                  ["¿Cuánto cuesta el envío a Canarias?", "¿Qué me cobráis de envío a Tenerife?",
                   "¿Hay envío gratis a Las Palmas si compro mucho?"],
                  "9,95 €", ["9,95 euros"], ["3,95 €", "5,95 €", "12,95 €"]),
                F("F-ENV-009", "Los pedidos a Canarias se entregan en 5-7 días laborables, porque deben pasar "
                  "el despacho de aduanas.", ["5-7 días laborables", "despacho de aduanas"],
                  ["¿Cuánto tarda un pedido en llegar a Canarias?", "¿Cuántos días tarda el envío a Gran Canaria?"],
                  "5-7 días laborables", ["5 a 7 días laborables", "5-7 días"],
                  ["3-4 días laborables", "24-48 horas laborables", "6-8 días laborables"]),
                F("F-ENV-010", "Los pedidos a Canarias se facturan sin IVA; el IGIC y los aranceles que "
                  "correspondan los paga el destinatario al recibir el paquete.", ["IGIC"],
                  ["¿Tengo que pagar algún impuesto al recibir un pedido en Canarias?",
                   "¿Los pedidos a Canarias llevan IVA?"],
                  "IGIC", ["el IGIC"], ["IVA del 21 %"], obscurity=0.3),
                F("F-ENV-011", "Para pedidos a Canarias de más de 150 € es obligatorio el DUA de importación, "
                  "que tramitamos con un coste de gestión de 6 €.", ["DUA", "gestión de 6 €"],
                  ["¿Cuánto cuesta la gestión del DUA para Canarias?",
                   "Si mi pedido a Canarias pasa de 150 €, ¿qué tengo que pagar por el DUA?"],
                  "6 €", ["6 euros", "seis euros"], ["9,95 €", "12 €", "15 €"], obscurity=0.4),
            )),
             ("Ceuta y Melilla", (
                F("F-ENV-012", "El envío a Ceuta y Melilla cuesta 12,95 € y tarda 6-8 días laborables.",
                  ["12,95 €", "6-8 días laborables"],
                  ["¿Cuánto cuesta el envío a Ceuta?", "¿Qué gastos de envío tiene un pedido a Melilla?"],
                  "12,95 €", ["12,95 euros"], ["9,95 €", "5,95 €", "3,95 €"]),
                "Los envíos a Ceuta y Melilla también requieren despacho de aduanas. No es posible enviar "
                "grandes electrodomésticos ni baterías de patinete a estos destinos.",
            ))),
            related=("ENV-01", "PAG-01")),
    DocSpec("ENV-03", "Envío express y entrega en el día", "envios",
            "Si tienes prisa, puedes elegir el envío express o, en algunas ciudades, la entrega en el mismo "
            "día. Estos servicios solo están disponibles para productos marcados con el distintivo «Lo tienes "
            "mañana» y para direcciones de la Península.",
            (("Envío express", (
                F("F-ENV-013", "El envío express a la Península cuesta 6,90 € y entrega en 24 horas los "
                  "pedidos confirmados antes de las 13:00.", ["6,90 €", "13:00"],
                  ["¿Cuánto cuesta el envío express?", "¿Qué precio tiene el envío urgente de 24 horas?",
                   "Quiero que me llegue mañana {prod}, ¿cuánto cuesta el envío express?"],
                  "6,90 €", ["6,90 euros"], ["9,90 €", "3,95 €", "4,95 €"]),
                "El envío express no es gratuito aunque tu pedido supere el importe mínimo del envío estándar; "
                "los socios de Mercadela Plus tienen un 50 % de descuento en este servicio.",
            )),
             ("Entrega en el día", (
                F("F-ENV-014", "La entrega en el día está disponible en Madrid, Barcelona y Valencia para "
                  "pedidos hechos antes de las 11:00, cuesta 9,90 € y se entrega entre las 18:00 y las 22:00.",
                  ["9,90 €", "antes de las 11:00"],
                  ["¿Cuánto cuesta la entrega en el mismo día en {ciudad_dia}?",
                   "¿Hasta qué hora puedo pedir para que me llegue hoy?",
                   "¿Qué vale que me lo traigáis hoy mismo?"],
                  "9,90 €", ["9,90 euros"], ["6,90 €", "3,95 €"], obscurity=0.1),
                "Si el repartidor no te encuentra en casa, el pedido pasa automáticamente a envío estándar y "
                "se intenta entregar el siguiente día laborable sin coste adicional.",
            ))),
            related=("ENV-01",)),
    DocSpec("ENV-04", "Puntos de recogida y taquillas MercaBox", "envios",
            "Además de a domicilio, puedes recibir tus pedidos en más de 9.000 puntos de recogida (oficinas de "
            "Correos, tiendas Punto Pack y taquillas MercaBox). Es la opción más cómoda si no estás en casa "
            "en horario de reparto.",
            (("Coste y plazos", (
                F("F-ENV-015", "El envío a un punto de recogida cuesta 2,95 € y es gratuito a partir de 29 €.",
                  ["2,95 €", "a partir de 29 €"],
                  ["¿Cuánto cuesta enviar a un punto de recogida?", "¿Qué vale el envío a una taquilla MercaBox?",
                   "Si lo recojo en una oficina de Correos, ¿cuánto pago de envío?"],
                  "2,95 €", ["2,95 euros"], ["3,95 €", "4,95 €"]),
                F("F-ENV-016", "Tienes 7 días naturales para recoger tu pedido en el punto de recogida; "
                  "después se devuelve a nuestro almacén y te reembolsamos el importe.",
                  ["7 días naturales para recoger"],
                  ["¿Cuántos días tengo para recoger el paquete en el punto de recogida?",
                   "¿Cuánto tiempo me guardan el pedido en la taquilla?"],
                  "7 días naturales", ["siete días", "7 días"], ["15 días naturales", "30 días naturales",
                                                                   "3 días naturales"]),
                F("F-ENV-017", "Las taquillas MercaBox admiten paquetes de hasta 60 x 40 x 40 cm y 15 kg.",
                  ["60 x 40 x 40 cm", "15 kg"],
                  ["¿Qué tamaño máximo cabe en una taquilla MercaBox?", "¿Cuánto peso aguanta una taquilla?"],
                  "60 x 40 x 40 cm", ["60x40x40"], ["80 x 60 x 60 cm"], obscurity=0.3),
                "Para recoger necesitas el código que te enviamos por SMS y correo electrónico. En las "
                "oficinas de Correos también te pedirán el DNI, NIE o pasaporte del destinatario.",
            ))),
            related=("ENV-01", "DEV-02")),
    DocSpec("ENV-05", "Seguimiento del pedido e incidencias de transporte", "envios",
            "Puedes seguir tu pedido desde «Mis pedidos» en la web o la app. Aquí explicamos qué significa cada "
            "estado y qué hacer si el paquete llega dañado, no llega o aparece como entregado sin que lo "
            "hayas recibido.",
            (("Estados del pedido", (
                table(["Estado", "Qué significa"], [
                    ["Recibido", "Hemos registrado tu pedido y estamos verificando el pago."],
                    ["En preparación", "El almacén está preparando tus productos."],
                    ["Enviado", "El paquete ha salido del almacén; ya tienes número de seguimiento."],
                    ["En reparto", "El transportista lo entregará hoy."],
                    ["Entregado", "El transportista ha confirmado la entrega."]]),
                F("F-ENV-018", "El número de seguimiento se envía por correo electrónico en un máximo de 24 "
                  "horas desde que el pedido sale del almacén.", ["número de seguimiento", "24 horas"],
                  ["¿Cuándo recibo el número de seguimiento?", "No me ha llegado el tracking, ¿cuándo lo mandáis?"],
                  "24 horas", ["un día", "24 h"], ["48 horas", "72 horas"]),
            )),
             ("Paquete dañado o incompleto", (
                F("F-ENV-019", "Si el paquete llega dañado, debes comunicarlo en un plazo de 7 días naturales "
                  "desde la entrega, con fotos del embalaje.", ["dañado", "7 días naturales desde la entrega"],
                  ["El paquete ha llegado roto, ¿cuánto tiempo tengo para avisar?",
                   "¿Qué plazo tengo para reclamar un paquete dañado?"],
                  "7 días naturales", ["siete días", "7 días"], ["24 horas", "30 días naturales", "48 horas"]),
            )),
             ("Paquete perdido o entregado sin recibir", (
                F("F-ENV-020", "Si un pedido figura como entregado y no lo has recibido, abrimos una "
                  "investigación con el transportista que se resuelve en un máximo de 10 días laborables.",
                  ["investigación", "10 días laborables"],
                  ["Pone entregado pero no tengo el paquete, ¿cuánto tarda la investigación?",
                   "¿En cuánto tiempo resolvéis un paquete perdido?"],
                  "10 días laborables", ["diez días laborables", "10 días"], ["7 días naturales",
                                                                              "30 días naturales"],
                  obscurity=0.2),
                "Si la investigación confirma la pérdida, te enviamos de nuevo el producto o te devolvemos el "
                "importe, a tu elección. Te recomendamos revisar antes con vecinos y conserjería.",
            ))),
            related=("ENV-01", "ATC-01")),
    DocSpec("ENV-06", "Envíos internacionales", "envios",
            "Desde Mercadela enviamos también a Portugal, Francia y Andorra. Los precios se muestran con el IVA "
            "español; para Andorra los impuestos de importación corren a cargo del destinatario.",
            (("Tarifas internacionales", (
                table(["Destino", "Coste", "Plazo"], [["Portugal", "7,95 €", "3-5 días laborables"],
                                                      ["Francia", "14,95 €", "4-6 días laborables"],
                                                      ["Andorra", "19,95 €", "4-6 días laborables"]]),
                F("F-ENV-021", "El envío a Portugal cuesta 7,95 € y llega en 3-5 días laborables.",
                  ["7,95 €", "Portugal"],
                  ["¿Cuánto cuesta enviar a Portugal?", "¿Enviáis a Lisboa? ¿Qué cuesta?"],
                  "7,95 €", ["7,95 euros"], ["14,95 €", "19,95 €"]),
                F("F-ENV-022", "El envío a Francia cuesta 14,95 € y llega en 4-6 días laborables.",
                  ["14,95 €", "Francia"],
                  ["¿Cuánto cuesta el envío a Francia?", "¿Qué me cobráis por mandar un pedido a París?"],
                  "14,95 €", ["14,95 euros"], ["7,95 €", "19,95 €"]),
                F("F-ENV-023", "No enviamos fuera de la Unión Europea salvo a Andorra.",
                  ["fuera de la Unión Europea salvo a Andorra"],
                  ["¿A qué país de fuera de la Unión Europea hacéis envíos?",
                   "Aparte de la UE, ¿a qué otro país enviáis?"],
                  "Andorra", [], ["Reino Unido", "Suiza", "Marruecos"],
                  obscurity=0.2),
            ))),
            related=("ENV-02",)),
]
