"""Knowledge-base content: changing and cancelling orders, stock and pre-orders, business accounts."""

from .kbmodel import DocSpec, F, table

DOCS = [
    DocSpec("PED-01", "Modificar o cancelar un pedido", "pedidos",
            "Puedes cambiar o cancelar tu pedido desde «Mis pedidos» mientras no haya salido del almacén. Una "
            "vez enviado, ya no podemos modificarlo, pero puedes rechazar la entrega o devolverlo.",
            (("Cambios", (
                F("F-PED-001", "Puedes cambiar la dirección de entrega mientras el pedido esté en estado "
                  "«Recibido» o «En preparación».", ["cambiar la dirección de entrega"],
                  ["¿Puedo cambiar la dirección de envío después de pagar?",
                   "Me equivoqué de dirección, ¿hasta cuándo la puedo cambiar?"],
                  "En preparación", ["mientras no se haya enviado", "antes de que salga del almacén"],
                  ["Enviado", "En reparto", "Entregado"]),
                F("F-PED-002", "No es posible añadir productos a un pedido ya realizado; debes hacer un pedido "
                  "nuevo, y si ambos van a la misma dirección el mismo día te reembolsamos el segundo envío.",
                  ["reembolsamos el segundo envío"],
                  ["¿Puedo añadir algo a un pedido que ya hice?",
                   "Se me olvidó meter {prod} en el pedido, ¿lo podéis añadir?"],
                  "pedido nuevo", ["hacer otro pedido", "un nuevo pedido"], ["añadirlo al pedido"], obscurity=0.2),
            )),
             ("Cancelación", (
                F("F-PED-003", "La cancelación es gratuita si el pedido no ha salido del almacén y el reembolso "
                  "se emite en un máximo de 24 horas.", ["cancelación es gratuita", "24 horas"],
                  ["¿Cuánto tardáis en devolver el dinero si cancelo antes del envío?",
                   "Si cancelo el pedido, ¿cuándo me devolvéis el dinero?"],
                  "24 horas", ["un día"], ["3 días laborables", "5-7 días laborables"]),
                F("F-PED-004", "Si el pedido ya está enviado, puedes rechazar la entrega y lo tratamos como una "
                  "devolución gratuita.", ["rechazar la entrega"],
                  ["Ya me lo han enviado pero no lo quiero, ¿qué hago?",
                   "¿Puedo cancelar un pedido que ya está en camino?"],
                  "rechazar la entrega", ["rechazarlo", "no aceptar el paquete"], ["no es posible"], obscurity=0.2),
            ))),
            related=("DEV-02", "ENV-05")),
    DocSpec("PED-02", "Disponibilidad, preventa y reservas", "pedidos",
            "La disponibilidad que ves en la ficha del producto se actualiza en tiempo real. Te explicamos qué "
            "significa cada indicador y cómo funcionan las preventas de lanzamientos.",
            (("Indicadores de stock", (
                table(["Indicador", "Significado"], [
                    ["En stock", "Sale del almacén en el plazo habitual."],
                    ["Últimas unidades", "Quedan menos de 5 unidades."],
                    ["Disponible en X días", "Lo recibimos del proveedor en ese plazo."],
                    ["Preventa", "Producto aún no lanzado; se envía en la fecha de lanzamiento."],
                    ["Agotado", "Sin fecha de reposición; puedes activar el aviso por correo."]]),
                F("F-PED-005", "El indicador «Últimas unidades» aparece cuando quedan menos de 5 unidades.",
                  ["Últimas unidades", "menos de 5 unidades"],
                  ["¿Qué significa «últimas unidades»?", "¿Cuántas quedan cuando pone últimas unidades?"],
                  "menos de 5", ["menos de cinco"], ["menos de 10", "menos de 3"], obscurity=0.2),
            )),
             ("Preventas", (
                F("F-PED-006", "En las preventas no cobramos nada al reservar; el cargo se hace cuando el "
                  "producto sale del almacén.", ["preventas", "no cobramos nada al reservar"],
                  ["Si reservo {prod} en preventa, ¿cuándo me cobráis?", "¿Se paga al hacer la reserva en preventa?"],
                  "cuando el producto sale del almacén", ["al enviarlo", "cuando se envía"], ["al reservar"]),
                F("F-PED-007", "Si el precio de un producto en preventa baja antes del lanzamiento, te cobramos "
                  "el precio más bajo.", ["precio más bajo"],
                  ["Reservé en preventa y ha bajado de precio, ¿qué precio pago?"],
                  "el precio más bajo", ["el más bajo"], ["el precio de la reserva"], obscurity=0.3),
            ))),
            related=("PED-01",)),
    DocSpec("PED-03", "Mercadela Empresas: compras para tu negocio", "pedidos",
            "Con una cuenta de Mercadela Empresas puedes comprar con tu CIF, ver los precios sin IVA, tener "
            "varios usuarios en la misma cuenta y pagar por transferencia a plazo.",
            (("Cuenta de empresa", (
                F("F-PED-008", "Los pedidos de empresa tienen un importe mínimo de 100 € sin IVA.",
                  ["importe mínimo de 100 € sin IVA"],
                  ["¿Hay pedido mínimo para empresas?", "¿Cuál es el mínimo de compra con cuenta de empresa?"],
                  "100 €", ["100 euros", "cien euros"], ["49 €", "300 €", "1.000 €"]),
                F("F-PED-009", "Las empresas con más de 6 meses de antigüedad como clientes pueden pagar por "
                  "transferencia a 30 días fecha factura.", ["30 días fecha factura"],
                  ["¿Las empresas pueden pagar a 30 días?",
                   "¿Cuándo puedo pagar con transferencia a plazo siendo empresa?"],
                  "6 meses", ["seis meses"], ["1 año", "3 meses"], obscurity=0.3),
                F("F-PED-010", "Mercadela Empresas aplica un 5 % de descuento en pedidos desde 1.000 € y un 8 % "
                  "desde 5.000 € (importes sin IVA).", ["8 %", "5.000 €"],
                  ["¿Qué descuento tengo si compro 6.000 € para la oficina?",
                   "¿Cuál es el descuento por volumen a partir de 5.000 €?"],
                  "8 %", ["8 por ciento"], ["5 %", "10 %"], obscurity=0.2),
                table(["Importe del pedido (sin IVA)", "Descuento"], [["100 € - 999 €", "0 %"],
                                                                    ["1.000 € - 4.999 €", "5 %"],
                                                                    ["5.000 € o más", "8 %"]]),
                "Para solicitar una factura con recargo de equivalencia o exenta de IVA (entregas "
                "intracomunitarias), escribe a empresas@mercadela.es antes de hacer el pedido.",
            ))),
            related=("PAG-03",)),
    DocSpec("PED-04", "Regalos, direcciones y entregas a otra persona", "pedidos",
            "¿Compras un regalo o no vas a estar en casa? Puedes enviar el pedido a otra dirección, añadir "
            "papel de regalo e incluir un ticket regalo sin precios para que la persona que lo recibe pueda "
            "cambiarlo o devolverlo.",
            (("Envolver para regalo", (
                F("F-PED-011", "El envoltorio de regalo cuesta 2,50 € por producto e incluye una tarjeta con tu "
                  "mensaje.", ["envoltorio de regalo", "2,50 € por producto"],
                  ["¿Cuánto cuesta envolver {prod} para regalo?", "¿Tenéis papel de regalo? ¿Qué vale?"],
                  "2,50 € por producto", ["2,50 €", "2,50 euros"], ["gratis", "4,95 €", "1,50 €"]),
                F("F-PED-012", "El ticket regalo es gratuito y permite a quien recibe el regalo cambiarlo o "
                  "devolverlo sin ver el precio; el reembolso se hace siempre a quien pagó.",
                  ["ticket regalo", "a quien pagó"],
                  ["Si mi amiga devuelve el regalo con el ticket regalo, ¿a quién le llega el dinero?",
                   "¿El reembolso de un regalo se lo dais a quien lo recibe?"],
                  "a quien pagó", ["al comprador", "a la persona que pagó"], ["a quien lo recibe",
                                                                               "al destinatario"], obscurity=0.3),
                "Los productos voluminosos (grandes electrodomésticos, televisores de más de 55 pulgadas, "
                "colchones) no se pueden envolver; en su lugar incluimos la tarjeta con tu mensaje.",
            )),
             ("Direcciones de entrega", (
                F("F-PED-013", "Puedes guardar hasta 10 direcciones de entrega en tu cuenta.",
                  ["hasta 10 direcciones"],
                  ["¿Cuántas direcciones puedo guardar en mi cuenta?", "¿Hay un máximo de direcciones guardadas?"],
                  "10 direcciones", ["diez direcciones"], ["5 direcciones", "3 direcciones"], obscurity=0.2),
                F("F-PED-014", "Si no estás en casa, el transportista hace un segundo intento de entrega al día "
                  "laborable siguiente; tras dos intentos fallidos el paquete queda 5 días en la oficina de "
                  "reparto.", ["segundo intento de entrega", "5 días en la oficina de reparto"],
                  ["No estaba en casa cuando vino el repartidor, ¿vuelve a pasar?",
                   "¿Cuántos días se queda el paquete en la oficina si no me encuentran?"],
                  "5 días", ["cinco días"], ["7 días naturales", "15 días"], obscurity=0.2),
                "Para entregar a otra persona basta con indicar su nombre y teléfono en la dirección de envío. "
                "El transportista puede pedir el DNI de quien recibe el paquete y, en pedidos de más de 1.000 €, "
                "la entrega solo se hace al titular o a un autorizado.",
            ))),
            related=("ENV-04", "DEV-01")),
]
