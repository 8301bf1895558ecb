// Spanish strings. Loaded lazily, only when the widget's language is Spanish.
import type { Catalogue } from './en.js';

export const es: Catalogue = {
  'status.connecting': 'Conectando de forma segura…',
  'status.loading': 'Cargando…',

  'error.title': 'El chat seguro no está disponible',
  'error.config': 'El chat seguro no está bien configurado en esta página.',
  'error.unauthorized':
    'Su sesión del portal ha terminado. Vuelva a iniciar sesión en el portal para usar el chat seguro.',
  'error.forbidden': 'El chat seguro no está permitido aquí: se rechazó este sitio o esta conversación.',
  'error.rate-limited': 'El chat seguro está ocupado. Espere un momento y vuelva a intentarlo.',
  'error.network':
    'El chat seguro no pudo conectar con su servicio, o el servicio no acepta solicitudes de este sitio. Revise la conexión y vuelva a intentarlo.',
  'error.identity-conflict':
    'No se pudo configurar su clave del chat seguro. Vuelva a intentarlo o póngase en contacto con soporte.',
  'error.generic': 'Algo salió mal. Vuelva a intentarlo.',
  'error.retry': 'Reintentar',

  'signedOut.title': 'Ha cerrado la sesión del chat seguro',
  'signedOut.keyRemoved':
    'Su clave se eliminó de este dispositivo. Necesitará su contraseña de respaldo para volver a leer los mensajes aquí.',
  'signedOut.keyKept': 'Su clave sigue guardada en este dispositivo.',
  'signedOut.reopen': 'Abrir de nuevo el chat seguro',

  'key.working.title': 'Protegiendo su clave',
  'key.working.status': 'Procesando… esto tarda unos segundos.',
  'key.backup.titleNew': 'Su nueva clave está lista',
  'key.backup.title': 'Su clave del chat seguro está lista',
  'key.backup.intro':
    'Los mensajes se cifran con una clave que solo existe en este dispositivo. Elija una contraseña de respaldo para poder leer sus mensajes en otro dispositivo o después de borrar los datos de este navegador. No podemos recuperar esta contraseña por usted.',
  'key.backup.password': 'Contraseña de respaldo (al menos 8 caracteres)',
  'key.backup.confirm': 'Escriba la contraseña otra vez',
  'key.backup.failed': 'No se pudo guardar el respaldo. Vuelva a intentarlo.',
  'key.backup.save': 'Guardar respaldo',
  'key.backup.skip': 'Omitir por ahora',
  'key.backup.skipWarning':
    'Sin un respaldo, si pierde este dispositivo o borra los datos del navegador, no podrá leer sus mensajes anteriores en ningún lugar.',
  'key.backup.skipConfirm': 'Continuar sin respaldo',
  'key.backup.tooShort': 'Use al menos 8 caracteres.',
  'key.backup.mismatch': 'Las dos contraseñas no coinciden.',
  'key.goBack': 'Volver',
  'key.restore.title': 'Recupere su clave del chat seguro',
  'key.restore.intro':
    'Ya usa el chat seguro en otro dispositivo. Introduzca su contraseña de respaldo para leer sus mensajes aquí.',
  'key.restore.password': 'Contraseña de respaldo',
  'key.restore.wrongPassword':
    'Esa contraseña no funcionó. Revísela y vuelva a intentarlo; no se ha perdido nada.',
  'key.restore.noBackup':
    'No hay un respaldo con contraseña de su clave. Use «Olvidé mi contraseña» para crear una clave nueva.',
  'key.restore.failed': 'No se pudo recuperar su clave. Vuelva a intentarlo.',
  'key.restore.submit': 'Recuperar',
  'key.restore.forgot': 'Olvidé mi contraseña',
  'key.rotate.title': '¿Crear una clave nueva?',
  'key.rotate.warning':
    'Una clave nueva sustituirá a la anterior. Los mensajes que le enviaron hasta ahora dejarán de poder leerse en todos sus dispositivos, y esto no se puede deshacer. Los demás verán que su clave cambió.',
  'key.rotate.confirm': 'Crear una clave nueva',

  'failure.unverified-sender':
    'No se pudo verificar el remitente. Es posible que este mensaje no sea de quien dice ser, así que no se muestra.',
  'failure.unknown-sender': 'No se pudo verificar el remitente: no tiene clave de cifrado.',
  'failure.not-for-this-device': 'No está cifrado para este dispositivo, así que no se puede leer aquí.',
  'failure.previous-key': 'Cifrado para una clave anterior. No se puede leer porque su clave fue sustituida.',
  'failure.tampered': 'Este mensaje fue manipulado y no se puede mostrar.',
  'failure.misplaced':
    'No se pudo verificar este mensaje: no pertenece a esta conversación (puede haber sido movido, reenviado o reetiquetado).',
  'failure.not-encrypted': 'Este mensaje no está cifrado de extremo a extremo, así que no se muestra.',
  'failure.unavailable': 'No se pudo descargar este mensaje. Vuelva a intentarlo más tarde.',

  'message.unknownMember': 'Miembro desconocido',
  'message.you': 'Usted',
  'message.quoteMissing': 'El mensaje citado no está disponible',
  'message.deleted': 'Este mensaje se eliminó.',
  'message.decrypting': 'Descifrando…',
  'message.edited': 'editado',
  'message.sending': 'enviando…',
  'message.replies': 'Respuestas ({count})',
  'message.replyInThread': 'Responder en un hilo',
  'message.quote': 'Citar',
  'message.edit': 'Editar',
  'message.editingBelow': 'Editando abajo',

  'composer.message': 'Mensaje',
  'composer.reply': 'Respuesta',
  'composer.editing': 'Editando su mensaje',
  'composer.cancelEdit': 'Cancelar edición',
  'composer.quoting': 'Citando un mensaje',
  'composer.cancelQuote': 'Cancelar cita',
  'composer.saveEdit': 'Guardar cambios',
  'composer.send': 'Enviar',

  'conversation.title': 'Conversación segura',
  'conversation.forgetKey': 'No guardar mi clave en este dispositivo',
  'conversation.signOut': 'Cerrar sesión',
  'conversation.messages': 'Mensajes',
  'conversation.empty': 'Todavía no hay mensajes. Los mensajes aquí están cifrados de extremo a extremo.',
  'thread.title': 'Hilo',
  'thread.close': 'Cerrar hilo',
  'thread.replies': 'Respuestas del hilo',
};
