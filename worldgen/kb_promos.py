"""Knowledge-base content: coupons, campaigns, price match, gift cards and points."""

from .kbmodel import DocSpec, F, table

DOCS = [
    DocSpec("PRO-01", "Cupones y códigos de descuento", "promociones",
            "Los cupones se introducen en el carrito, en el campo «Código promocional», antes de pagar. Cada "
            "cupón indica su importe o porcentaje, su fecha de caducidad y el importe mínimo de compra.",
            (("Condiciones generales", (
                F("F-PRO-001", "Solo se puede usar un cupón por pedido; los cupones no son acumulables entre sí.",
                  ["un cupón por pedido"],
                  ["¿Puedo usar dos cupones en el mismo pedido?", "¿Se pueden juntar varios códigos de descuento?"],
                  "un cupón por pedido", ["solo uno", "uno por pedido"], ["hasta dos", "hasta tres"]),
                F("F-PRO-002", "El cupón de bienvenida WELCOME10 da un 10 % de descuento en la primera compra, "
                  "con un descuento máximo de 20 € y una compra mínima de 30 €.", ["WELCOME10", "máximo de 20 €"],
                  ["¿Cuál es el descuento máximo del cupón de bienvenida?",
                   "¿Hasta cuánto me descuenta el código WELCOME10?"],
                  "20 €", ["20 euros"], ["10 €", "30 €", "50 €"]),
                F("F-PRO-003", "Los cupones también se aplican a productos rebajados, salvo que el cupón indique "
                  "lo contrario, pero nunca a tarjetas regalo ni a Mercadela Plus.",
                  ["nunca a tarjetas regalo ni a Mercadela Plus"],
                  ["¿Puedo usar un cupón para comprar una tarjeta regalo?",
                   "¿Los códigos sirven para pagar la suscripción Plus?"],
                  "nunca", ["no se aplican", "no es posible"], ["sí se aplican"], obscurity=0.2),
            )),
             ("Cupones y devoluciones", (
                F("F-PRO-004", "En una devolución parcial, el descuento del cupón se reparte proporcionalmente "
                  "entre los productos y se reembolsa el precio pagado por cada uno.",
                  ["se reparte proporcionalmente"],
                  ["Usé un cupón y devuelvo solo un producto, ¿cuánto me devolvéis?",
                   "¿Cómo se calcula el reembolso si el pedido llevaba un descuento?"],
                  "proporcionalmente", ["de forma proporcional", "prorrateado"], ["precio completo",
                                                                               "sin descuento"], obscurity=0.3),
                F("F-PRO-005", "Si devuelves el pedido completo, el cupón se reactiva en tu cuenta si aún no ha "
                  "caducado.", ["el cupón se reactiva"],
                  ["Si devuelvo todo, ¿recupero el cupón que usé?",
                   "¿Qué pasa con mi código de descuento si devuelvo el pedido?"],
                  "se reactiva", ["lo recuperas", "vuelve a estar disponible"], ["se pierde"], obscurity=0.3),
                "Ejemplo: compras dos productos de 50 € y 30 € con un cupón del 10 %. Pagas 72 €. Si devuelves "
                "el de 30 €, te reembolsamos 27 €, que es lo que pagaste por él tras el descuento.",
            ))),
            related=("PRO-02", "DEV-03")),
    DocSpec("PRO-02", "Campañas, rebajas y garantía de mejor precio", "promociones",
            "A lo largo del año organizamos varias campañas: rebajas de invierno y de verano, Días Sin IVA, "
            "Black Friday y Navidad. Las condiciones de cada campaña se publican en su página.",
            (("Calendario", (
                table(["Campaña", "Fechas habituales"], [
                    ["Rebajas de invierno", "del 7 de enero al 28 de febrero"],
                    ["Días Sin IVA", "dos fines de semana al año"],
                    ["Rebajas de verano", "del 1 de julio al 31 de agosto"],
                    ["Black Friday", "última semana de noviembre"], ["Navidad", "1 al 24 de diciembre"]]),
                F("F-PRO-006", "En los Días Sin IVA descontamos el 17,36 % del precio, que equivale al IVA "
                  "incluido en el precio final.", ["Días Sin IVA", "17,36 %"],
                  ["¿Cuánto descuentan de verdad en los Días Sin IVA?",
                   "Si es sin IVA, ¿por qué no me quitan todo el IVA?"],
                  "17,36 %", ["17,36 por ciento"], ["21 %", "10 %"], obscurity=0.4),
            )),
             ("Garantía de mejor precio", (
                F("F-PRO-007", "Si el precio de un producto baja en los 14 días siguientes a tu compra, te "
                  "devolvemos la diferencia como saldo en tu cuenta.", ["14 días siguientes a tu compra"],
                  ["Compré {prod} y ahora está más barato, ¿me devolvéis la diferencia?",
                   "¿Cuántos días cubre la garantía de mejor precio?"],
                  "14 días", ["catorce días", "dos semanas"], ["30 días", "7 días"]),
                F("F-PRO-008", "La diferencia de la garantía de mejor precio se abona como saldo, no en la "
                  "tarjeta, y no aplica a ofertas flash.", ["ofertas flash"],
                  ["¿La diferencia de precio me la devolvéis a la tarjeta?", "¿Cómo me pagáis la bajada de precio?"],
                  "saldo", ["como saldo", "saldo en tu cuenta"], ["a la tarjeta", "transferencia"], obscurity=0.2),
            ))),
            related=("PRO-01",)),
    DocSpec("PRO-03", "Tarjetas regalo y Mercapuntos", "promociones",
            "Las tarjetas regalo de Mercadela son el regalo perfecto cuando no sabes qué elegir, y con "
            "Mercapuntos cada compra te acerca a la siguiente.",
            (("Tarjetas regalo", (
                F("F-PRO-009", "Las tarjetas regalo se pueden comprar por importes de 10 € a 500 € y son válidas "
                  "durante 2 años desde su compra.", ["tarjetas regalo", "válidas durante 2 años"],
                  ["¿Cuánto tiempo dura una tarjeta regalo?", "¿Caduca la tarjeta regalo que me regalaron?"],
                  "2 años", ["dos años", "24 meses"], ["1 año", "3 años", "6 meses"]),
                F("F-PRO-010", "El saldo que no gastes de una tarjeta regalo se queda en la tarjeta para futuras "
                  "compras; no se puede canjear por dinero.", ["no se puede canjear por dinero"],
                  ["¿Me podéis dar en efectivo lo que me queda de la tarjeta regalo?",
                   "Si no gasto todo el saldo de la tarjeta regalo, ¿qué pasa?"],
                  "futuras compras", ["se queda en la tarjeta", "sigue disponible"], ["en efectivo",
                                                                                       "se pierde"], obscurity=0.1),
            )),
             ("Mercapuntos", (
                F("F-PRO-011", "Con Mercapuntos ganas 1 punto por cada euro gastado y cada 100 puntos equivalen a "
                  "1 € de descuento.", ["Mercapuntos", "100 puntos"],
                  ["¿Cuánto valen los Mercapuntos?", "¿Cuántos puntos necesito para 1 € de descuento?"],
                  "100 puntos", ["cien puntos"], ["10 puntos", "1.000 puntos"]),
                F("F-PRO-012", "Los Mercapuntos caducan a los 12 meses de haberlos conseguido.",
                  ["caducan a los 12 meses"],
                  ["¿Caducan los Mercapuntos?", "¿Cuánto tiempo tengo para gastar mis puntos?"],
                  "12 meses", ["un año", "doce meses"], ["6 meses", "2 años", "24 meses"]),
                "Los puntos de un pedido se suman cuando pasa el plazo de devolución. Si devuelves productos, "
                "se descuentan los puntos correspondientes.",
            ))),
            related=("PRO-01",)),
]
