// Spanish strings. Loaded lazily, only when the widget's language is Spanish.
import type { Catalogue } from './en.js';

export const es: Catalogue = {
  'status.connecting': 'Conectando de forma segura…',
  'status.loading': 'Cargando…',

  'frame.title': 'Chat seguro',

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
  'key.backup.tooGuessable':
    'Esta contraseña sería fácil de adivinar. Use varias palabras sin relación entre sí o una contraseña más larga.',
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
  'failure.time-mismatch':
    'No se pudo verificar este mensaje: la hora en que se firmó no coincide con la hora en que lo recibió el servicio de chat.',
  'failure.rolled-back':
    'No se muestra: el servicio de chat volvió a poner una versión de este mensaje anterior a la que este dispositivo ya vio.',
  'failure.removed-by-server': 'Eliminado por el servicio de chat, no por su remitente.',
  'failure.stale-key':
    'No se pudo verificar este mensaje: acaba de llegar, pero se firmó con una clave que el remitente ya sustituyó.',

  'message.unknownMember': 'Miembro desconocido',
  'message.selfDeclared': '{name} (nombre autodeclarado)',
  'message.notMember': 'No es un miembro confirmado de esta conversación',
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
  'list.newMessages': 'Mensajes nuevos',
  'list.jumpToLatest': 'Ir a lo más reciente',
  'list.jumpToLatestCount': 'Ir a lo más reciente ({count} nuevos)',
  'list.loadOlder': 'Mostrar mensajes anteriores',
  'list.beginning': 'Este es el comienzo de la conversación.',
  'list.sent': 'Enviado',
  'list.seen': 'Visto',
  'list.seenBy': 'Visto por {names}',
  'list.unreadableBy':
    'No lo pueden leer {names}: todavía no han activado el chat seguro. Envíalo de nuevo cuando hayan iniciado sesión.',
  'list.failed': 'No se envió.',
  'list.retry': 'Reintentar',
  'list.delete': 'Eliminar',
  'list.deleted': 'Mensaje eliminado por su remitente',
  'list.typing': '{names} está escribiendo…',
  'list.typingMany': '{names} están escribiendo…',
  'list.online': 'En línea: {names}',
  'list.someone': 'Alguien',
  'list.actions': 'Acciones del mensaje',
  'list.reactions': 'Reacciones',
  'list.reactLabel': '{reaction} ({count})',
  'list.react.like': 'Pulgar arriba',
  'list.react.done': 'Hecho',
  'list.react.thanks': 'Gracias',
  'list.react.question': 'Pregunta',

  'composer.message': 'Mensaje',
  'composer.reply': 'Respuesta',
  'composer.editing': 'Editando su mensaje',
  'composer.cancelEdit': 'Cancelar edición',
  'composer.quoting': 'Citando un mensaje',
  'composer.cancelQuote': 'Cancelar cita',
  'composer.saveEdit': 'Guardar cambios',
  'composer.send': 'Enviar',

  'message.queued': 'esperando para enviar',
  'message.delayed': 'retrasado, se enviará automáticamente',
  'files.attach': 'Adjuntar archivos',
  'files.dropHint': 'Suelte aquí los archivos para enviarlos cifrados',
  'files.tooLarge': '«{name}» es demasiado grande para enviarlo ({size}). El límite es {limit}.',
  'files.uploading': 'Cifrando y subiendo {percent}',
  'files.uploadingLabel': 'Progreso de la subida',
  'files.download': 'Descargar {name} ({size})',
  'files.downloading': 'Descifrando {name}',
  'files.loadingImage': 'Descifrando imagen…',
  'files.failed': 'No se pudo descifrar ni verificar este archivo.',
  'connection.offline':
    'Se perdió la conexión. Reconectando… Los mensajes que envíe ahora esperarán y se enviarán cuando vuelva la conexión.',

  'connection.delayed':
    'El servicio de chat pidió al chat seguro que vaya más despacio, así que el envío se retrasa. Sus mensajes se conservan y se enviarán automáticamente.',
  'conversation.title': 'Conversación segura',
  'conversation.forgetKey': 'No guardar mi clave en este dispositivo',
  'conversation.signOut': 'Cerrar sesión',
  'conversation.messages': 'Mensajes',
  'conversation.empty': 'Todavía no hay mensajes. Los mensajes aquí están cifrados de extremo a extremo.',
  'thread.title': 'Hilo',
  'thread.close': 'Cerrar hilo',
  'thread.replies': 'Respuestas del hilo',

  'lock.warning':
    'Por su privacidad, el chat seguro se bloqueará en {seconds} segundos porque no hubo actividad.',
  'lock.stay': 'Mantener la sesión',
  'lock.title': 'El chat seguro está bloqueado',
  'lock.reason.idle': 'Se bloqueó porque no hubo actividad durante un tiempo.',
  'lock.reason.session-limit': 'Se bloqueó porque la sesión alcanzó su tiempo máximo.',
  'lock.reason.manual': 'El portal lo bloqueó.',
  'lock.reason.logout': 'Se bloqueó porque usted cerró la sesión del portal.',
  'lock.body': 'Los mensajes descifrados y su clave se quitaron de la pantalla y de la memoria.',
  'lock.how.portal': 'Para continuar, inicie sesión de nuevo.',
  'lock.how.passkey':
    'Para continuar, desbloquee con la llave de acceso que protege su clave en este dispositivo.',
  'lock.how.none': 'Para continuar, inicie sesión de nuevo en el portal.',
  'lock.signIn': 'Iniciar sesión de nuevo',
  'lock.unlockPasskey': 'Desbloquear con la llave de acceso',
  'lock.waiting': 'Esperando a que inicie sesión de nuevo…',
  'lock.waitingPasskey': 'Esperando su llave de acceso…',
  'lock.failed': 'No inició sesión de nuevo, así que el chat seguro sigue bloqueado. Inténtelo de nuevo.',
  'lock.failedPasskey': 'La llave de acceso no desbloqueó el chat seguro. Inténtelo de nuevo.',

  'verify.toggle': 'Códigos de seguridad',
  'verify.title': 'Verificar los códigos de seguridad',
  'verify.intro':
    'Compare cada código con la otra persona en persona o por teléfono (lea los dígitos o escanee el código QR). Si coinciden, nadie está interceptando sus mensajes.',
  'verify.codeLabel': 'Código de seguridad con {name}',
  'verify.qrLabel': 'Código QR del código de seguridad con {name}',
  'verify.noKey': 'Este miembro todavía no tiene clave de cifrado.',
  'verify.trust.verified': 'Verificado',
  'verify.trust.unverified': 'Sin verificar',
  'verify.trust.key-changed': 'La clave cambió desde que la verificó',
  'verify.trust.key-changed-first-use':
    'La clave cambió desde que se vio por primera vez en este dispositivo',
  'verify.mark': 'Marcar como verificado',
  'verify.unmark': 'Quitar la verificación',
  'verify.changedTitle': 'La clave de seguridad de {name} ha cambiado.',
  'verify.changedBody':
    'No es la clave que usted verificó o vio primero para esta persona. Puede ocurrir con un dispositivo nuevo o una clave restablecida, pero también puede significar que alguien intercepta los mensajes. Sus mensajes están ocultos hasta que compare los códigos de seguridad o acepte la nueva clave.',
  'verify.compare': 'Comparar los códigos de seguridad',
  'verify.acknowledge': 'Aceptar la nueva clave',
  'verify.hidden': 'Oculto: la clave de seguridad del remitente cambió. Revise el aviso de arriba.',

  'composer.keyChanged':
    'La clave de seguridad de {names} cambió. Compare los códigos de seguridad, o acepte la clave nueva, antes de enviar.',
  'members.added': 'Otra persona añadió a {name} a esta conversación. Confirme antes de enviar.',
  'members.addedMany': 'Otra persona añadió a {names} a esta conversación. Confirme antes de enviar.',
  'members.addedBody':
    'Hasta que confirme, nada de lo que envíe se cifra para quien se añadió, y sus mensajes aparecen marcados. Confirme solo si esperaba que se uniera.',
  'members.confirm': 'Confirmar',
  'members.removed':
    'Se quitó a {name} de esta conversación. Los mensajes nuevos ya no se cifran para esta persona.',
  'members.dismiss': 'Entendido',
  'organization.notice':
    '{name} también puede leer esta conversación: los mensajes y archivos se cifran también con su clave de registros, para que pueda conservarlos en su historia clínica.',
  'organization.composer': '{name} también puede leer lo que envíe aquí.',
  'organization.unnamed': 'Su organización de atención médica',

  'conversationList.title': 'Conversaciones',
  'conversationList.unreadTotal': '{count} sin leer',
  'conversationList.rowUnread': '{count} sin leer',
  'conversationList.online': 'En línea',
  'conversationList.offline': 'Desconectado',
  'conversationList.empty': 'Todavía no hay conversaciones.',
  'conversationList.noMessages': 'Todavía no hay mensajes',
  'conversationList.ownPreview': 'Usted: {text}',
  'conversationList.decrypting': 'Descifrando…',
  'conversationList.unverified': 'No se pudo verificar el mensaje',
  'conversationList.deleted': 'Mensaje eliminado',
  'conversationList.keyChanged': 'La clave de seguridad cambió: abra la conversación para revisarla',
  'conversationList.unknownMember': 'Miembro desconocido',
  'conversationList.loadFailed': 'No se pudieron cargar sus conversaciones. Inténtelo más tarde.',
  'conversationList.startTitle': 'Iniciar una conversación',
  'conversationList.startWith': 'Con',
  'conversationList.startSubmit': 'Iniciar',
  'conversationList.refused': 'No puede iniciar una conversación con esta persona: su portal no lo permite.',
  'conversationList.startFailed': 'No se pudo iniciar la conversación. Inténtelo de nuevo.',
  'conversationList.back': 'Volver a las conversaciones',
  'conversationList.choose': 'Elija una conversación para leerla.',
  'conversationList.openFailed': 'No se pudo abrir la conversación. Inténtelo de nuevo.',
  'notify.enable': 'Activar notificaciones',
  'notify.disable': 'Desactivar notificaciones',
  'notify.on': 'Las notificaciones están activadas. Nunca muestran el texto ni los nombres.',
  'notify.denied': 'Las notificaciones de este sitio están bloqueadas en la configuración del navegador.',
  'notify.unsupported': 'Este navegador no admite notificaciones.',
  'notify.title': 'Nuevo mensaje seguro',
  'passkey.offer.title': 'Proteja la clave de este dispositivo con una llave de acceso',
  'passkey.offer.body':
    'Su clave se guarda cifrada en este dispositivo. Con una llave de acceso, abrirla también requiere su huella, su rostro o el PIN del dispositivo, de modo que una copia de los datos guardados no sirve sin usted.',
  'passkey.offer.accept': 'Usar una llave de acceso',
  'passkey.offer.decline': 'Ahora no',
  'passkey.offer.working': 'Esperando su llave de acceso…',
  'passkey.offer.done':
    'La clave de este dispositivo ahora está protegida por su llave de acceso. El chat seguro se la pedirá cada vez que se inicie.',
  'passkey.offer.dismiss': 'Cerrar',
  'passkey.offer.failed':
    'No se configuró la llave de acceso. Su clave sigue protegida por este dispositivo. ¿Lo intenta de nuevo?',
  'passkey.offer.noPrf':
    'Esta llave de acceso no puede proteger la clave. Su clave sigue protegida por este dispositivo.',
  'passkey.label': 'Chat seguro',
  'passkey.menu': 'Proteger la clave de este dispositivo con una llave de acceso',
  'passkey.unlock.title': 'Desbloquee su clave del chat seguro',
  'passkey.unlock.body':
    'La clave de este dispositivo está protegida por su llave de acceso. Úsela para abrir sus mensajes.',
  'passkey.unlock.button': 'Desbloquear con la llave de acceso',
  'passkey.unlock.failed': 'La llave de acceso no desbloqueó la clave. Inténtelo de nuevo.',
  'passkey.unlock.skip': 'Perdí esta llave de acceso: usar mi contraseña de respaldo',
  'passkey.unlock.skipWarning':
    'Esto elimina la copia de su clave de este dispositivo. Necesitará su contraseña de respaldo para leer sus mensajes aquí; sin un respaldo, ya no podrá leer los mensajes anteriores.',
  'passkey.unlock.skipConfirm': 'Eliminarla y usar mi contraseña de respaldo',
};
