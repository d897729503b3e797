"""Knowledge-base content: returns and refunds (devoluciones) pages."""

from .kbmodel import DocSpec, F, table

DOCS = [
    DocSpec("DEV-01", "Política de devoluciones", "devoluciones",
            "Si no estás satisfecho con tu compra, puedes devolverla. Esta política complementa tu derecho "
            "legal de desistimiento y lo amplía: en Mercadela tienes más tiempo del que exige la ley y, en "
            "muchos casos, la devolución es gratuita.",
            (("Plazo para devolver", (
                F("F-DEV-001", "Dispones de 30 días naturales desde la entrega para devolver cualquier producto "
                  "sin necesidad de indicar el motivo.", ["30 días naturales desde la entrega"],
                  ["¿Cuántos días tengo para devolver un producto?", "¿Cuál es el plazo de devolución?",
                   "Compré {prod} hace poco, ¿hasta cuándo lo puedo devolver?",
                   "¿Cuánto tiempo hay para devolver algo si no me convence?"],
                  "30 días naturales", ["30 días", "treinta días"], ["14 días naturales", "90 días naturales",
                                                                      "15 días naturales"]),
                F("F-DEV-002", "Los socios de Mercadela Plus disponen de 90 días naturales para devolver sus "
                  "compras.", ["socios de Mercadela Plus disponen de 90 días"],
                  ["Soy socio Plus, ¿cuántos días tengo para devolver?",
                   "¿Los de Mercadela Plus tenemos más plazo de devolución?"],
                  "90 días naturales", ["90 días", "noventa días"], ["30 días naturales", "60 días naturales"],
                  obscurity=0.2),
                F("F-DEV-003", "Las compras realizadas entre el 15 de noviembre y el 31 de diciembre se pueden "
                  "devolver hasta el 31 de enero del año siguiente.", ["hasta el 31 de enero"],
                  ["Compré un regalo en diciembre, ¿hasta cuándo puedo devolverlo?",
                   "¿Hay plazo ampliado de devolución para los regalos de Navidad?",
                   "Si compro en Black Friday, ¿hasta qué fecha lo puedo devolver?"],
                  "31 de enero", ["el 31 de enero"], ["15 de enero", "6 de enero", "28 de febrero"],
                  obscurity=0.3),
                "El plazo empieza a contar el día en que recibes el pedido. Si el pedido llegó en varios "
                "paquetes, cuenta desde la entrega del último paquete.",
            )),
             ("Estado del producto", (
                F("F-DEV-004", "Si el producto devuelto presenta señales de uso más allá de lo necesario para "
                  "probarlo, podemos aplicar una depreciación de hasta el 40 % de su precio.",
                  ["depreciación de hasta el 40 %"],
                  ["Si devuelvo algo usado, ¿me lo reembolsáis entero?",
                   "¿Cuánto me podéis descontar si devuelvo {prod} con señales de uso?"],
                  "40 %", ["40 por ciento", "cuarenta por ciento"], ["20 %", "50 %", "100 %"], obscurity=0.4),
                "No es necesario conservar el embalaje original, aunque sí debes enviar el producto bien "
                "protegido y con todos sus accesorios, manuales y regalos promocionales.",
            )),
             ("Devoluciones de productos defectuosos", (
                F("F-DEV-005", "Si un producto llega defectuoso, puedes pedir un cambio directo por otro igual "
                  "durante los primeros 15 días naturales desde la entrega.", ["cambio directo", "15 días naturales"],
                  ["Me ha llegado {prod} con un defecto, ¿puedo cambiarlo directamente?",
                   "¿Durante cuántos días puedo pedir un cambio directo si viene defectuoso?"],
                  "15 días naturales", ["15 días", "quince días"], ["30 días naturales", "7 días naturales"]),
                "Pasado ese plazo, los productos defectuosos se gestionan a través de la garantía y del "
                "servicio técnico del fabricante.",
            ))),
            related=("DEV-02", "DEV-03", "DEV-04", "GAR-01")),
    DocSpec("DEV-02", "Cómo devolver un producto", "devoluciones",
            "Puedes iniciar una devolución desde «Mis pedidos», seleccionando el producto y el motivo. Te "
            "ofrecemos tres formas de devolverlo: en un punto de entrega, con recogida a domicilio o en una "
            "de nuestras tiendas asociadas.",
            (("Formas de devolución", (
                F("F-DEV-006", "Devolver un producto en un punto de entrega de Correos o Punto Pack es "
                  "gratuito.", ["punto de entrega", "gratuito"],
                  ["¿Cuánto cuesta devolver un pedido en Correos?",
                   "Si llevo la devolución a un Punto Pack, ¿me cobráis algo?"],
                  "gratuito", ["gratis", "sin coste", "0 €"], ["4,95 €", "2,95 €"]),
                F("F-DEV-007", "La recogida a domicilio de una devolución cuesta 4,95 €, salvo para socios de "
                  "Mercadela Plus y productos defectuosos, en los que es gratuita.", ["4,95 €", "recogida"],
                  ["¿Cuánto cuesta que vengan a recoger la devolución a casa?",
                   "¿Me cobráis por recoger {prod} en mi domicilio para devolverlo?",
                   "¿Qué vale la recogida a domicilio de una devolución?"],
                  "4,95 €", ["4,95 euros"], ["3,95 €", "2,95 €", "6,90 €"]),
                F("F-DEV-008", "Los grandes electrodomésticos se devuelven siempre con recogida a domicilio "
                  "programada, con un coste de 29 € si no son defectuosos.", ["grandes electrodomésticos", "29 €"],
                  ["¿Cuánto cuesta devolver una lavadora?", "Quiero devolver el frigorífico, ¿tiene coste?"],
                  "29 €", ["29 euros"], ["4,95 €", "39 €"], obscurity=0.3),
            )),
             ("Pasos", (
                "1. Entra en «Mis pedidos» y pulsa «Devolver». 2. Elige el producto y el motivo. 3. Elige la "
                "forma de devolución. 4. Imprime la etiqueta o guarda el código QR. 5. Entrega el paquete o "
                "espera al transportista. Recibirás un correo en cada paso.",
                F("F-DEV-009", "La etiqueta o el código QR de devolución caduca a los 14 días de generarse.",
                  ["caduca a los 14 días"],
                  ["¿Cuánto dura la etiqueta de devolución?", "¿Caduca el QR de la devolución?"],
                  "14 días", ["catorce días"], ["30 días", "7 días"], obscurity=0.4),
            ))),
            related=("DEV-01", "DEV-03")),
    DocSpec("DEV-03", "Reembolsos: cuándo y cómo recibo mi dinero", "devoluciones",
            "Cuando tu devolución llega a nuestro almacén la revisamos y emitimos el reembolso por el mismo "
            "método de pago que usaste. El tiempo que tarda en verse reflejado depende de tu banco o "
            "proveedor de pago.",
            (("Plazos de reembolso", (
                F("F-DEV-010", "Emitimos el reembolso en un máximo de 3 días laborables desde que la devolución "
                  "llega a nuestro almacén.", ["emitimos el reembolso", "3 días laborables"],
                  ["¿Cuánto tardáis en hacer el reembolso cuando os llega la devolución?",
                   "Ya os ha llegado el paquete devuelto, ¿cuándo emitís el reembolso?"],
                  "3 días laborables", ["tres días laborables", "3 días"], ["14 días naturales",
                                                                           "5-7 días laborables"]),
                table(["Método de pago", "Tiempo hasta verlo en tu cuenta"], [
                    ["Tarjeta", "5-7 días laborables"], ["PayPal", "24-48 horas"], ["Bizum", "1-2 días laborables"],
                    ["Transferencia", "3-5 días laborables"], ["Tarjeta regalo", "inmediato, como saldo"],
                    ["Contrarreembolso", "transferencia en 3-5 días laborables"]]),
                F("F-DEV-011", "Los reembolsos con tarjeta tardan 5-7 días laborables en aparecer en tu cuenta.",
                  ["tarjeta tardan 5-7 días laborables"],
                  ["Pagué con tarjeta, ¿cuánto tarda en llegarme el reembolso?",
                   "¿Cuándo veré la devolución del dinero en mi tarjeta?"],
                  "5-7 días laborables", ["5 a 7 días laborables", "5-7 días"], ["24-48 horas",
                                                                                 "1-2 días laborables"]),
                F("F-DEV-012", "Los reembolsos a PayPal se reciben en 24-48 horas.", ["PayPal se reciben en 24-48"],
                  ["Pagué con PayPal, ¿cuánto tarda el reembolso?", "¿En cuánto llega la devolución a PayPal?"],
                  "24-48 horas", ["24 a 48 horas", "1 o 2 días"], ["5-7 días laborables", "3-5 días laborables"]),
                F("F-DEV-013", "Los reembolsos de pagos con Bizum llegan en 1-2 días laborables.",
                  ["Bizum llegan en 1-2 días laborables"],
                  ["Pagué con Bizum, ¿cuánto tarda el reembolso?",
                   "¿Cuándo me devolvéis el dinero si pagué por Bizum?"],
                  "1-2 días laborables", ["1 o 2 días laborables", "1-2 días"], ["24-48 horas",
                                                                                 "5-7 días laborables"]),
                F("F-DEV-014", "Si pagaste contra reembolso, te devolvemos el dinero por transferencia a la "
                  "cuenta que nos indiques, en 3-5 días laborables.", ["contra reembolso", "3-5 días laborables"],
                  ["Pagué contra reembolso, ¿cómo me devolvéis el dinero?",
                   "¿Cuánto tarda el reembolso si pagué en efectivo al repartidor?"],
                  "3-5 días laborables", ["3 a 5 días laborables"], ["5-7 días laborables", "24-48 horas"],
                  obscurity=0.2),
            )),
             ("Gastos de envío en el reembolso", (
                F("F-DEV-015", "Si devuelves el pedido completo te reembolsamos también los gastos de envío "
                  "estándar; en devoluciones parciales no se reembolsan.", ["devoluciones parciales"],
                  ["¿En qué caso me devolvéis también los gastos de envío?",
                   "¿Cuándo se reembolsan los portes de un pedido que devuelvo?"],
                  "pedido completo", ["devuelves todo el pedido", "devolución total"], ["siempre", "nunca"],
                  obscurity=0.3),
                "El coste adicional de envíos express o entrega en el día no se reembolsa, salvo que el "
                "producto sea defectuoso o hayamos enviado un artículo equivocado.",
            ))),
            related=("DEV-01", "PAG-01")),
    DocSpec("DEV-04", "Productos que no se pueden devolver", "devoluciones",
            "Por motivos de higiene, protección de la salud o porque se han fabricado a medida, algunos "
            "productos no admiten devolución una vez abiertos. Te lo indicamos siempre en la ficha del producto.",
            (("Exclusiones", (
                table(["Tipo de producto", "¿Se puede devolver?"], [
                    ["Auriculares intrauditivos desprecintados", "No, por higiene"],
                    ["Cepillos de dientes eléctricos y afeitadoras usados", "No, por higiene"],
                    ["Software, videojuegos o tarjetas con el código revelado", "No"],
                    ["Productos personalizados (grabados, impresos a medida)", "No"],
                    ["Colchones y almohadas desprecintados", "Solo si son defectuosos"],
                    ["Tarjetas regalo", "No"],
                    ["Resto de productos", "Sí, en el plazo de devolución"]]),
                F("F-DEV-016", "Los auriculares intrauditivos solo se pueden devolver si conservan el precinto "
                  "higiénico.", ["precinto higiénico"],
                  ["¿Puedo devolver unos auriculares de botón que ya he abierto?",
                   "Abrí los cascos intrauditivos y no me gustan, ¿se pueden devolver?"],
                  "precinto higiénico", ["con el precinto", "precintados"], ["sin condiciones"], obscurity=0.2),
                F("F-DEV-017", "Los productos con grabado personalizado no se pueden devolver salvo defecto de "
                  "fabricación.", ["grabado personalizado"],
                  ["¿Puedo devolver un producto que pedí con grabado?", "Pedí el reloj grabado con mi nombre, "
                   "¿lo puedo devolver si no me gusta?"],
                  "defecto de fabricación", ["solo si es defectuoso", "solo si tiene un defecto"],
                  ["30 días naturales"], obscurity=0.3),
                F("F-DEV-018", "Los colchones y almohadas desprecintados solo se aceptan si son defectuosos.",
                  ["colchones y almohadas desprecintados"],
                  ["¿Se puede devolver un colchón si ya le quité el plástico?",
                   "He abierto la almohada, ¿la puedo devolver?"],
                  "defectuosos", ["si es defectuoso", "solo con defecto"], ["30 días naturales"], obscurity=0.3),
            ))),
            related=("DEV-01",)),
]
