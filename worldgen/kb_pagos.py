"""Knowledge-base content: payments, financing and invoices (pagos) pages."""

from .kbmodel import DocSpec, F, table

DOCS = [
    DocSpec("PAG-01", "Métodos de pago aceptados", "pagos",
            "En Mercadela puedes pagar con tarjeta, PayPal, Bizum, transferencia bancaria, Apple Pay, Google Pay "
            "o contra reembolso. Todos los pagos se procesan en euros mediante una pasarela segura con "
            "autenticación reforzada (3D Secure).",
            (("Tarjetas", (
                F("F-PAG-001", "Aceptamos tarjetas Visa, Mastercard y American Express; con American Express el "
                  "importe máximo por pedido es de 3.000 €.", ["American Express", "3.000 €"],
                  ["¿Cuál es el importe máximo si pago con American Express?",
                   "¿Hay límite de compra con tarjeta Amex?"],
                  "3.000 €", ["3000 €", "tres mil euros"], ["1.000 €", "300 €", "5.000 €"], obscurity=0.3),
                "Al confirmar el pedido realizamos una preautorización del importe. Si el pedido se cancela, la "
                "retención desaparece automáticamente, aunque tu banco puede tardar unos días en liberarla.",
                F("F-PAG-002", "Las retenciones de una preautorización cancelada se liberan en un máximo de "
                  "7 días naturales, según tu banco.", ["preautorización cancelada", "7 días naturales"],
                  ["Cancelé el pedido pero sigo viendo el cargo retenido, ¿cuándo se libera?",
                   "¿Cuánto tarda en desaparecer la retención de la tarjeta?"],
                  "7 días naturales", ["7 días", "una semana"], ["24 horas", "30 días naturales"], obscurity=0.2),
            )),
             ("PayPal y Bizum", (
                F("F-PAG-003", "Con Bizum puedes pagar pedidos de hasta 1.000 €.", ["Bizum", "1.000 €"],
                  ["¿Hay límite para pagar con Bizum?", "¿Hasta cuánto puedo pagar con Bizum?"],
                  "1.000 €", ["1000 €", "mil euros"], ["3.000 €", "300 €", "500 €"]),
                F("F-PAG-004", "Con PayPal no hay importe máximo por pedido y puedes usar su pago en 3 plazos "
                  "si tu cuenta lo permite.", ["PayPal", "no hay importe máximo"],
                  ["¿Hay límite para pagar con PayPal?", "¿Hasta cuánto puedo pagar con PayPal?"],
                  "no hay importe máximo", ["sin límite", "no tiene límite", "sin importe máximo"],
                  ["1.000 €", "3.000 €", "300 €"], obscurity=0.1),
            )),
             ("Transferencia y contra reembolso", (
                F("F-PAG-005", "Si pagas por transferencia, reservamos los productos durante 72 horas; si no "
                  "recibimos el pago en ese plazo, el pedido se cancela.", ["transferencia", "72 horas"],
                  ["Si pago por transferencia, ¿cuánto tiempo me guardáis el pedido?",
                   "¿Cuántas horas tengo para hacer la transferencia?"],
                  "72 horas", ["3 días", "tres días"], ["24 horas", "48 horas", "7 días naturales"]),
                F("F-PAG-006", "El pago contra reembolso solo está disponible en la Península, para pedidos de "
                  "hasta 300 €, y tiene un recargo de 2,50 €.", ["contra reembolso", "2,50 €"],
                  ["¿Cuánto cuesta pagar contra reembolso?", "¿Hay recargo si pago al repartidor?",
                   "¿Qué comisión tiene el contrarreembolso?"],
                  "2,50 €", ["2,50 euros", "2,5 €"], ["3,95 €", "4,95 €", "1,50 €"]),
                "El contra reembolso se paga en efectivo al transportista con el importe exacto; los "
                "repartidores no llevan cambio. No está disponible para Baleares, Canarias, Ceuta ni Melilla.",
            ))),
            related=("PAG-02", "DEV-03")),
    DocSpec("PAG-02", "Paga Luego y financiación", "pagos",
            "Con Paga Luego puedes recibir tu pedido ahora y pagarlo más tarde, y con la financiación de "
            "nuestro socio financiero puedes repartir compras grandes en cuotas mensuales. Ambas opciones "
            "están sujetas a la aprobación de la entidad financiera.",
            (("Paga Luego", (
                F("F-PAG-007", "Con Paga Luego puedes pagar a 30 días sin ningún coste adicional.",
                  ["pagar a 30 días sin ningún coste"],
                  ["¿Cuánto cuesta pagar a 30 días con Paga Luego?", "Si uso Paga Luego a 30 días, ¿me cobráis algo?"],
                  "sin ningún coste", ["gratis", "sin coste", "0 €"], ["3,90 €", "2,50 €"]),
                F("F-PAG-008", "Pagar a 90 días con Paga Luego tiene una comisión fija de 3,90 €.",
                  ["90 días", "3,90 €"],
                  ["¿Cuánto cuesta pagar a 90 días con Paga Luego?", "Si uso Paga Luego a 90 días, ¿me cobráis algo?"],
                  "3,90 €", ["3,90 euros", "3,9 €"], ["sin ningún coste", "gratis", "2,50 €"]),
                F("F-PAG-009", "Paga Luego está disponible para pedidos entre 50 € y 1.500 €.",
                  ["entre 50 € y 1.500 €"],
                  ["¿Para qué importes puedo usar Paga Luego?", "¿Cuál es el máximo para Paga Luego?"],
                  "1.500 €", ["1500 €"], ["1.000 €", "3.000 €"], obscurity=0.2),
            )),
             ("Financiación a plazos", (
                F("F-PAG-010", "La financiación en 3 plazos sin intereses está disponible para compras desde "
                  "150 €.", ["3 plazos sin intereses", "150 €"],
                  ["¿Desde qué importe puedo pagar en 3 plazos sin intereses?",
                   "¿Cuál es la compra mínima para financiar en tres plazos?"],
                  "150 €", ["150 euros"], ["50 €", "300 €", "1.500 €"]),
                F("F-PAG-011", "La financiación de 6 a 24 meses tiene una TAE del 17,9 %.", ["TAE del 17,9 %"],
                  ["¿Qué interés tiene la financiación a 12 meses?", "¿Cuál es la TAE si financio a 24 meses?"],
                  "17,9 %", ["17,9 por ciento"], ["0 %", "9,9 %", "21 %"], obscurity=0.2),
                table(["Importe", "Plazos", "TAE"], [["150 € - 600 €", "3 meses", "0 %"],
                                                      ["150 € - 3.000 €", "6 a 24 meses", "17,9 %"]]),
            ))),
            related=("PAG-01",)),
    DocSpec("PAG-03", "Facturas y datos fiscales", "pagos",
            "Todas las compras en Mercadela tienen factura. La emitimos automáticamente cuando enviamos el "
            "pedido y la puedes descargar en PDF desde «Mis pedidos».",
            (("Descarga y cambios", (
                F("F-PAG-012", "La factura se puede descargar en «Mis pedidos» cuando el pedido pasa a estado "
                  "«Enviado».", ["estado «Enviado»"],
                  ["¿Dónde descargo la factura de mi pedido?", "¿Cuándo puedo bajarme la factura?"],
                  "Enviado", ["cuando se envía", "cuando el pedido se envía"], ["Entregado", "Recibido"],
                  obscurity=0.1),
                F("F-PAG-013", "Puedes pedir una factura a nombre de una empresa, con su CIF, hasta 15 días "
                  "después de la fecha de compra.", ["CIF", "15 días después"],
                  ["¿Puedo pedir la factura a nombre de mi empresa después de comprar?",
                   "¿Hasta cuándo puedo cambiar los datos fiscales de la factura?"],
                  "15 días", ["quince días"], ["30 días", "90 días", "7 días"]),
                F("F-PAG-014", "Si devuelves un producto, emitimos una factura rectificativa que recibirás por "
                  "correo electrónico.", ["factura rectificativa"],
                  ["¿Qué factura me dais cuando devuelvo algo?", "Devolví un producto, ¿me llega alguna factura?"],
                  "factura rectificativa", ["rectificativa"], ["factura proforma"], obscurity=0.2),
            ))),
            related=("PED-03",)),
    DocSpec("PAG-04", "Seguridad de los pagos y cargos duplicados", "pagos",
            "Nunca te pediremos los datos completos de tu tarjeta por teléfono, correo electrónico ni "
            "WhatsApp. Si recibes un mensaje así, no respondas y avísanos.",
            (("Cargos duplicados", (
                F("F-PAG-015", "Si ves un cargo duplicado, normalmente es una preautorización; si tras 7 días "
                  "naturales sigue apareciendo, lo revisamos y devolvemos en 48 horas.", ["cargo duplicado",
                                                                                          "48 horas"],
                  ["Me habéis cobrado dos veces el mismo pedido, ¿qué hago?",
                   "Tengo un cargo repetido en la tarjeta, ¿en cuánto me lo devolvéis?"],
                  "48 horas", ["dos días"], ["72 horas", "5-7 días laborables"], obscurity=0.3),
                F("F-PAG-016", "Por seguridad, un pedido se bloquea tras 3 intentos de pago rechazados y debes "
                  "esperar 30 minutos para volver a intentarlo.", ["3 intentos de pago rechazados", "30 minutos"],
                  ["Me han rechazado varias veces la tarjeta y ya no me deja pagar, ¿cuánto tengo que esperar?",
                   "¿Por qué se bloquea el pago después de varios intentos?"],
                  "30 minutos", ["media hora"], ["24 horas", "15 minutos"], obscurity=0.3),
            ))),
            related=("PAG-01", "CUE-01")),
]
