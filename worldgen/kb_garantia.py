"""Knowledge-base content: warranty, repairs and installation pages."""

from .kbmodel import DocSpec, F, table

DOCS = [
    DocSpec("GAR-01", "Garantía legal de los productos", "garantia",
            "Todos los productos que vendemos tienen la garantía legal que establece la normativa de consumo. "
            "Durante ese tiempo, si el producto presenta una falta de conformidad, tienes derecho a que lo "
            "reparemos o lo sustituyamos sin coste.",
            (("Duración", (
                F("F-GAR-001", "Los productos nuevos tienen una garantía legal de 3 años desde la entrega.",
                  ["garantía legal de 3 años"],
                  ["¿Cuánta garantía tiene {prod}?", "¿Cuántos años de garantía tienen los productos nuevos?",
                   "¿Cuánto dura la garantía legal?"],
                  "3 años", ["tres años", "36 meses"], ["2 años", "1 año", "18 meses"]),
                F("F-GAR-002", "Los productos reacondicionados tienen una garantía de 18 meses.",
                  ["reacondicionados", "18 meses"],
                  ["¿Qué garantía tiene un producto reacondicionado?",
                   "Si compro un móvil reacondicionado, ¿cuánto dura la garantía?"],
                  "18 meses", ["un año y medio"], ["3 años", "1 año", "6 meses"]),
                F("F-GAR-003", "Las baterías de patinetes y portátiles tienen una garantía de 1 año frente a "
                  "pérdidas de capacidad por debajo del 70 %.", ["baterías", "70 %"],
                  ["¿Qué garantía tiene la batería del patinete?",
                   "La batería del portátil dura poco, ¿está en garantía?"],
                  "1 año", ["un año", "12 meses"], ["3 años", "18 meses"], obscurity=0.4),
            )),
             ("Qué no cubre", (
                "La garantía no cubre los daños por golpes, caídas, líquidos, uso indebido, manipulación por "
                "personal no autorizado ni el desgaste normal de piezas consumibles (filtros, cepillos, "
                "cuchillas, mandos a distancia). Para esos casos existe Mercadela Protect.",
                F("F-GAR-004", "Para usar la garantía necesitas la factura o el número de pedido; no hace falta "
                  "el embalaje original.", ["factura o el número de pedido"],
                  ["¿Qué me pedís para tramitar una garantía?", "¿Necesito la caja original para usar la garantía?"],
                  "número de pedido", ["la factura"], ["el embalaje original", "el ticket regalo"], obscurity=0.1),
            ))),
            related=("GAR-02", "GAR-03")),
    DocSpec("GAR-02", "Mercadela Protect: garantía ampliada y daños accidentales", "garantia",
            "Mercadela Protect es nuestro servicio opcional de protección. Amplía la garantía y, en su "
            "modalidad Total, cubre también los daños accidentales como caídas o derrames de líquidos.",
            (("Modalidades y precio", (
                F("F-GAR-005", "Mercadela Protect Ampliada añade 2 años de garantía a la legal y cuesta el 12 % "
                  "del precio del producto, con un mínimo de 9,99 €.", ["12 %", "9,99 €"],
                  ["¿Cuánto cuesta Mercadela Protect?", "¿Qué precio tiene ampliar la garantía?",
                   "¿Cuánto me costaría la garantía ampliada de {prod}?"],
                  "12 %", ["12 por ciento"], ["10 %", "20 %", "15 %"]),
                F("F-GAR-006", "Mercadela Protect Total cubre daños accidentales durante 2 años y cuesta el 20 % "
                  "del precio del producto.", ["Protect Total", "20 %"],
                  ["¿Cuánto cuesta el seguro de daños accidentales?", "¿Qué cuesta Protect Total?"],
                  "20 %", ["20 por ciento"], ["12 %", "10 %"], obscurity=0.1),
                F("F-GAR-007", "Puedes contratar Mercadela Protect hasta 30 días después de la compra.",
                  ["contratar Mercadela Protect hasta 30 días"],
                  ["¿Puedo contratar la garantía ampliada después de comprar?",
                   "¿Hasta cuándo puedo añadir Protect a un pedido?"],
                  "30 días", ["treinta días"], ["14 días", "90 días", "1 año"], obscurity=0.2),
                F("F-GAR-008", "Con Protect Total cada reparación por daño accidental tiene una franquicia de 25 €.",
                  ["franquicia de 25 €"],
                  ["¿Tengo que pagar algo si se me rompe la pantalla y tengo Protect Total?",
                   "¿Cuánto es la franquicia de Protect Total?"],
                  "25 €", ["25 euros"], ["0 €", "50 €", "9,99 €"], obscurity=0.3),
                table(["", "Protect Ampliada", "Protect Total"], [
                    ["Precio", "12 % del producto (mín. 9,99 €)", "20 % del producto"],
                    ["Duración", "2 años tras la garantía legal", "2 años desde la compra"],
                    ["Averías", "Sí", "Sí"], ["Golpes y líquidos", "No", "Sí (franquicia 25 €)"],
                    ["Robo", "No", "No"]]),
            ))),
            related=("GAR-01", "GAR-03")),
    DocSpec("GAR-03", "Servicio técnico y reparaciones", "garantia",
            "Nuestro servicio técnico gestiona las reparaciones en garantía y fuera de ella. Puedes solicitar "
            "una reparación desde «Mis pedidos» > «Tengo un problema con un producto».",
            (("Reparaciones en garantía", (
                F("F-GAR-009", "Durante la garantía, la recogida y el envío de vuelta del producto al servicio "
                  "técnico son gratuitos.", ["servicio técnico", "gratuitos"],
                  ["¿Me cobráis la recogida para llevar {prod} al servicio técnico?",
                   "¿El envío al SAT en garantía tiene coste?"],
                  "gratuitos", ["gratis", "sin coste"], ["4,95 €", "29 €"]),
                F("F-GAR-010", "Si una reparación en garantía no se resuelve en 30 días naturales, te "
                  "sustituimos el producto por uno nuevo o te devolvemos el dinero.",
                  ["no se resuelve en 30 días naturales"],
                  ["Llevan semanas reparando mi {prod}, ¿cuánto tiempo tienen como máximo?",
                   "¿Qué pasa si la reparación tarda demasiado?"],
                  "30 días naturales", ["30 días", "un mes"], ["60 días naturales", "15 días naturales"],
                  obscurity=0.3),
            )),
             ("Reparaciones fuera de garantía", (
                F("F-GAR-011", "El presupuesto de una reparación fuera de garantía cuesta 25 €, que se descuentan "
                  "si aceptas la reparación.", ["presupuesto", "25 €"],
                  ["¿Cuánto cuesta el presupuesto de reparación si ya no tengo garantía?",
                   "¿Me cobráis por mirar qué le pasa si está fuera de garantía?"],
                  "25 €", ["25 euros"], ["gratis", "9,99 €", "49 €"], obscurity=0.2),
            ))),
            related=("GAR-01", "GAR-02")),
    DocSpec("PRD-01", "Entrega, instalación y retirada de electrodomésticos", "productos",
            "Los grandes electrodomésticos (lavadoras, frigoríficos, lavavajillas, hornos) se entregan con dos "
            "operarios en la estancia que elijas. Puedes contratar también la instalación y la retirada del "
            "aparato antiguo.",
            (("Entrega", (
                F("F-PRD-001", "La entrega de grandes electrodomésticos en la estancia cuesta 19 € y te "
                  "avisamos con una franja horaria de 4 horas.", ["19 €", "franja horaria de 4 horas"],
                  ["¿Cuánto cuesta que me suban la lavadora a casa?",
                   "¿Qué cuesta la entrega de un frigorífico hasta la cocina?"],
                  "19 €", ["19 euros"], ["29 €", "39 €", "3,95 €"]),
            )),
             ("Instalación", (
                F("F-PRD-002", "La instalación de una lavadora o lavavajillas cuesta 39 €.", ["instalación", "39 €"],
                  ["¿Cuánto cuesta la instalación de la lavadora?", "¿Me instaláis el lavavajillas? ¿Qué vale?"],
                  "39 €", ["39 euros"], ["19 €", "59 €", "49 €"]),
                F("F-PRD-003", "El montaje en pared de un televisor cuesta 59 € e incluye el soporte para "
                  "pantallas de hasta 65 pulgadas.", ["montaje en pared", "59 €"],
                  ["¿Cuánto cobráis por colgar la tele en la pared?", "¿Qué vale el montaje del televisor en pared?"],
                  "59 €", ["59 euros"], ["39 €", "19 €"]),
            )),
             ("Retirada del aparato antiguo", (
                F("F-PRD-004", "La retirada del electrodoméstico antiguo es gratuita si es del mismo tipo que el "
                  "que compras y se hace en el momento de la entrega.", ["retirada del electrodoméstico antiguo"],
                  ["¿Os lleváis la lavadora vieja cuando traéis la nueva?",
                   "¿Cuánto cuesta retirar la nevera antigua?"],
                  "gratuita", ["gratis", "sin coste"], ["19 €", "39 €"]),
                "La retirada cumple la normativa de residuos de aparatos eléctricos y electrónicos (RAEE). "
                "El aparato debe estar desconectado, vacío y, en el caso de frigoríficos, descongelado.",
            ))),
            related=("ENV-01", "GAR-01")),
    DocSpec("PRD-02", "Patinetes eléctricos y baterías: uso, transporte y seguridad", "productos",
            "Los patinetes eléctricos y los productos con baterías de litio requieren algunos cuidados y tienen "
            "normas de transporte especiales. Aquí resumimos lo que debes saber antes y después de comprar.",
            (("Antes de comprar", (
                F("F-PRD-005", "Los patinetes eléctricos que vendemos están limitados a 25 km/h, como exige la "
                  "normativa de la DGT para vehículos de movilidad personal.", ["25 km/h"],
                  ["¿A qué velocidad máxima van los patinetes?",
                   "¿Se puede quitar el límite de velocidad del patinete?"],
                  "25 km/h", ["25 kilómetros por hora"], ["30 km/h", "20 km/h"]),
                F("F-PRD-006", "Las baterías de repuesto de más de 100 Wh no se pueden enviar a Baleares, "
                  "Canarias, Ceuta ni Melilla, porque el transporte aéreo y marítimo las clasifica como mercancía "
                  "peligrosa.", ["100 Wh", "mercancía peligrosa"],
                  ["¿Podéis mandar una batería de repuesto del patinete a Mallorca?",
                   "¿Por qué no puedo pedir la batería del patinete a Canarias?"],
                  "100 Wh", ["mercancía peligrosa"], ["25 km/h", "15 kg"], obscurity=0.4),
            )),
             ("Carga y mantenimiento", (
                "Carga la batería con el cargador original, en un lugar ventilado y lejos de materiales "
                "inflamables. No dejes el patinete cargando durante la noche ni expuesto al sol en verano. Si "
                "no lo vas a usar durante semanas, guárdalo con la batería entre el 40 % y el 60 %.",
                F("F-PRD-007", "Para conservar la batería, recárgala al menos una vez cada 30 días aunque no uses "
                  "el patinete.", ["una vez cada 30 días"],
                  ["Si no uso el patinete en invierno, ¿cada cuánto tengo que cargarlo?",
                   "¿Cada cuánto hay que cargar la batería si el patinete está guardado?"],
                  "30 días", ["una vez al mes", "cada mes"], ["7 días", "90 días"], obscurity=0.3),
                F("F-PRD-008", "Los neumáticos y las pastillas de freno son piezas de desgaste y no están "
                  "cubiertos por la garantía salvo defecto de fabricación.", ["neumáticos y las pastillas de freno"],
                  ["Se me ha pinchado la rueda del patinete, ¿entra en garantía?",
                   "¿La garantía cubre las pastillas de freno del patinete?"],
                  "piezas de desgaste", ["desgaste"], ["3 años"], obscurity=0.2),
            ))),
            related=("GAR-01", "ENV-02")),
]
