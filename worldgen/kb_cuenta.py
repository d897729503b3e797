"""Knowledge-base content: account, privacy, Mercadela Plus and customer-service pages."""

from .kbmodel import DocSpec, F, table

DOCS = [
    DocSpec("CUE-01", "Tu cuenta: registro, acceso y contraseña", "cuenta",
            "Con una cuenta en Mercadela puedes seguir tus pedidos, guardar direcciones, descargar facturas y "
            "gestionar devoluciones. Registrarse es gratuito y solo necesitas un correo electrónico.",
            (("Registro y verificación", (
                F("F-CUE-001", "El enlace de verificación del correo electrónico caduca a las 24 horas; después "
                  "puedes pedir uno nuevo desde la página de acceso.", ["enlace de verificación", "24 horas"],
                  ["¿Cuánto dura el enlace para verificar el correo?",
                   "No verifiqué la cuenta a tiempo, ¿caduca el enlace?"],
                  "24 horas", ["un día", "24 h"], ["2 horas", "48 horas", "7 días naturales"]),
                F("F-CUE-002", "Para crear una cuenta en Mercadela debes tener al menos 18 años.",
                  ["al menos 18 años"],
                  ["¿Qué edad hay que tener para registrarse?",
                   "Mi hijo es menor, ¿a partir de qué edad puede tener cuenta?"],
                  "18 años", ["mayor de edad"], ["16 años", "14 años"]),
            )),
             ("Contraseña y bloqueos", (
                F("F-CUE-003", "El enlace para restablecer la contraseña es válido durante 2 horas.",
                  ["restablecer la contraseña", "2 horas"],
                  ["¿Cuánto tiempo vale el enlace para cambiar la contraseña?",
                   "Me llegó el correo de recuperar contraseña ayer, ¿sigue valiendo?"],
                  "2 horas", ["dos horas"], ["24 horas", "30 minutos"]),
                F("F-CUE-004", "Tras 5 intentos fallidos de acceso, la cuenta se bloquea durante 30 minutos.",
                  ["5 intentos fallidos", "se bloquea durante 30 minutos"],
                  ["Me he equivocado varias veces con la contraseña y se ha bloqueado, ¿cuánto dura el bloqueo?",
                   "¿Cuántos intentos tengo antes de que se bloquee la cuenta?"],
                  "30 minutos", ["media hora"], ["24 horas", "2 horas", "15 minutos"]),
                "Te recomendamos activar la verificación en dos pasos desde «Mi cuenta» > «Seguridad». Te "
                "pediremos un código de 6 dígitos por SMS o aplicación de autenticación al iniciar sesión en "
                "un dispositivo nuevo.",
            )),
             ("Baja de la cuenta", (
                F("F-CUE-005", "Si solicitas la baja, tu cuenta se desactiva y puedes reactivarla durante 30 "
                  "días; pasado ese plazo se elimina definitivamente.", ["reactivarla durante 30 días"],
                  ["Si borro mi cuenta, ¿puedo recuperarla?",
                   "¿Cuánto tiempo tengo para arrepentirme de darme de baja?"],
                  "30 días", ["treinta días", "un mes"], ["90 días", "7 días", "1 año"], obscurity=0.2),
            ))),
            related=("CUE-02",)),
    DocSpec("CUE-02", "Privacidad y protección de datos", "cuenta",
            "Tratamos tus datos personales conforme al Reglamento General de Protección de Datos (RGPD) y a la "
            "Ley Orgánica 3/2018. Solo usamos tus datos para gestionar tus pedidos, atenderte y, si lo aceptas, "
            "enviarte comunicaciones comerciales.",
            (("Tus derechos", (
                F("F-CUE-006", "Puedes ejercer tus derechos de acceso, rectificación, supresión y portabilidad "
                  "escribiendo a privacidad@mercadela.es; respondemos en el plazo de un mes.",
                  ["privacidad@mercadela.es"],
                  ["¿A qué correo escribo para que borréis mis datos?",
                   "¿Dónde pido una copia de mis datos personales?"],
                  "privacidad@mercadela.es", [], ["ayuda@mercadela.es", "empresas@mercadela.es"]),
                F("F-CUE-007", "Conservamos los datos de facturación durante 6 años por obligación legal, aunque "
                  "solicites la supresión de tu cuenta.", ["datos de facturación durante 6 años"],
                  ["Si borro la cuenta, ¿cuánto tiempo guardáis mis facturas?",
                   "¿Por qué seguís teniendo mis datos de facturación después de darme de baja?"],
                  "6 años", ["seis años"], ["30 días", "5 años", "10 años"], obscurity=0.4),
            )),
             ("Comunicaciones comerciales", (
                "Puedes darte de baja de la newsletter desde el enlace al pie de cada correo o desde «Mi cuenta» "
                "> «Preferencias». La baja es efectiva en un máximo de 48 horas.",
                F("F-CUE-008", "Al suscribirte a la newsletter recibes un cupón de 5 € para compras desde 40 €.",
                  ["newsletter", "cupón de 5 €"],
                  ["¿Qué descuento dan por apuntarse a la newsletter?", "¿Regaláis algo por suscribirse al boletín?"],
                  "5 €", ["5 euros", "cinco euros"], ["10 %", "10 €"]),
            ))),
            related=("CUE-01",)),
    DocSpec("CUE-03", "Mercadela Plus: la suscripción para clientes frecuentes", "cuenta",
            "Mercadela Plus es nuestra suscripción de pago para clientes que compran a menudo. Incluye envíos "
            "gratis, más plazo de devolución, recogidas gratuitas y acceso anticipado a las ofertas.",
            (("Precio", (
                F("F-CUE-009", "Mercadela Plus cuesta 39,90 € al año o 4,99 € al mes.", ["39,90 €", "4,99 €"],
                  ["¿Cuánto cuesta Mercadela Plus?", "¿Qué precio tiene la suscripción Plus al año?"],
                  "39,90 €", ["39,90 euros", "39,9 €"], ["49,90 €", "29,90 €", "4,95 €"]),
                F("F-CUE-010", "Los nuevos socios de Mercadela Plus tienen una prueba gratuita de 30 días.",
                  ["prueba gratuita de 30 días"],
                  ["¿Hay periodo de prueba en Mercadela Plus?", "¿Puedo probar Plus gratis?"],
                  "30 días", ["un mes"], ["14 días", "90 días", "7 días"]),
            )),
             ("Ventajas", (
                F("F-CUE-011", "Los socios de Mercadela Plus tienen envío estándar gratis sin importe mínimo en "
                  "la Península y Baleares.", ["envío estándar gratis sin importe mínimo"],
                  ["Soy de Plus, ¿pago envío en un pedido pequeño?",
                   "¿Con Mercadela Plus el envío es gratis aunque compre poco?"],
                  "sin importe mínimo", ["gratis", "envío gratis"], ["3,95 €", "a partir de 49 €"]),
                F("F-CUE-012", "Los socios de Mercadela Plus tienen un 50 % de descuento en los envíos a Canarias, "
                  "Ceuta y Melilla.", ["50 % de descuento en los envíos a Canarias"],
                  ["Soy socio Plus y vivo en Canarias, ¿tengo descuento en el envío?",
                   "¿Plus incluye algo para los envíos a Melilla?"],
                  "50 %", ["la mitad", "50 por ciento"], ["100 %", "gratis", "20 %"], obscurity=0.3),
                F("F-CUE-013", "Los socios de Mercadela Plus acceden a las ofertas con 24 horas de antelación.",
                  ["24 horas de antelación"],
                  ["¿Con cuánta antelación ven las ofertas los de Plus?", "¿Plus da acceso antes al Black Friday?"],
                  "24 horas", ["un día antes"], ["48 horas", "una semana"], obscurity=0.1),
                table(["Ventaja", "Sin Plus", "Con Plus"], [
                    ["Envío estándar Península y Baleares", "3,95 € / 5,95 €", "Gratis"],
                    ["Envío express", "6,90 €", "3,45 €"], ["Envío a Canarias, Ceuta y Melilla", "Tarifa normal",
                                                            "-50 %"],
                    ["Plazo de devolución", "30 días", "90 días"], ["Recogida de devoluciones", "4,95 €", "Gratis"],
                    ["Acceso a ofertas", "Normal", "24 horas antes"]]),
            )),
             ("Cancelación", (
                F("F-CUE-014", "Puedes cancelar Mercadela Plus cuando quieras; si cancelas en los primeros 14 "
                  "días y no has usado ninguna ventaja, te devolvemos la cuota completa.",
                  ["primeros 14 días", "cuota completa"],
                  ["Me he suscrito a Plus sin querer, ¿me devolvéis la cuota?",
                   "¿Puedo darme de baja de Plus y recuperar el dinero?"],
                  "14 días", ["catorce días"], ["30 días", "7 días"], obscurity=0.2),
            ))),
            related=("ENV-01", "DEV-01")),
    DocSpec("ATC-01", "Contacto y horarios de atención al cliente", "atencion",
            "Nuestro equipo de atención al cliente está en Madrid y te atiende en español, catalán e inglés. "
            "Antes de contactarnos, revisa el centro de ayuda: la mayoría de dudas se resuelven en minutos.",
            (("Canales", (
                table(["Canal", "Horario", "Tiempo de respuesta"], [
                    ["Chat", "Lunes a viernes de 9:00 a 21:00; sábados de 10:00 a 14:00", "Inmediato"],
                    ["Teléfono 900 828 314", "Lunes a viernes de 9:00 a 19:00", "Inmediato"],
                    ["WhatsApp", "Lunes a viernes de 9:00 a 21:00", "Menos de 1 hora"],
                    ["Correo ayuda@mercadela.es", "Siempre", "24 horas laborables"]]),
                F("F-ATC-001", "El chat de atención al cliente funciona de lunes a viernes de 9:00 a 21:00 y los "
                  "sábados de 10:00 a 14:00.", ["sábados de 10:00 a 14:00"],
                  ["¿El chat abre los sábados?", "¿Qué horario tiene el chat el fin de semana?"],
                  "10:00 a 14:00", ["de 10 a 14", "10 a 14 h"], ["9:00 a 21:00", "9:00 a 19:00"]),
                F("F-ATC-002", "El teléfono gratuito 900 828 314 atiende de lunes a viernes de 9:00 a 19:00.",
                  ["900 828 314"],
                  ["¿Cuál es vuestro teléfono de atención al cliente?", "¿A qué número llamo para hablar con alguien?"],
                  "900 828 314", ["900828314"], ["900 100 200", "91 123 45 67"]),
                F("F-ATC-003", "Respondemos a los correos enviados a ayuda@mercadela.es en un máximo de 24 horas "
                  "laborables.", ["ayuda@mercadela.es", "24 horas laborables"],
                  ["Si os escribo un email, ¿cuánto tardáis en contestar?", "¿En cuánto responden los correos?"],
                  "24 horas laborables", ["24 horas", "un día laborable"], ["1 hora", "72 horas"]),
            )),
             ("Reclamaciones", (
                F("F-ATC-004", "Si no estás conforme con nuestra respuesta, puedes presentar una reclamación "
                  "formal y te contestaremos en un máximo de 30 días naturales.",
                  ["te contestaremos en un máximo de 30 días naturales"],
                  ["¿Cuánto tardáis en responder una reclamación formal?", "¿Dónde pongo una hoja de reclamaciones?"],
                  "30 días naturales", ["30 días", "un mes"], ["24 horas laborables", "10 días laborables"],
                  obscurity=0.3),
                "También puedes acudir a la plataforma europea de resolución de litigios en línea o a la junta "
                "arbitral de consumo de tu comunidad autónoma. Mercadela está adherida al sistema arbitral de "
                "consumo.",
            ))),
            related=("ENV-05",)),
]
