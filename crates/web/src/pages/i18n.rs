//! The words of the public pages, in English and Spanish. One struct, so a missing
//! translation is a compile error, not a blank on a frightened student's screen.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Es,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Lang::En => &EN,
            Lang::Es => &ES,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Es,
            Lang::Es => Lang::En,
        }
    }
}

pub struct Text {
    pub switch_to: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub crisis_title: &'static str,
    pub crisis_danger: &'static str,
    pub crisis_988: &'static str,
    pub call_988: &'static str,
    pub text_988: &'static str,
    /// Leaves for a neutral site at once, ending any follow-up session.
    pub quick_exit: &'static str,
    pub sign_out: &'static str,
    pub cookie_refused: &'static str,
    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub category: &'static str,
    /// The empty first choice of a list the person must choose from.
    pub choose: &'static str,
    pub categories: [(&'static str, &'static str); 11],
    pub narrative: &'static str,
    pub narrative_hint: &'static str,
    pub where_: &'static str,
    pub site: &'static str,
    pub site_search: &'static str,
    pub no_site: &'static str,
    /// Several registered places fit what was typed: which one.
    pub site_which: &'static str,
    pub site_several: &'static str,
    pub site_none_of_these: &'static str,
    /// On the receipt when no registered place matched what was typed: `{place}`, `{agency}`.
    pub site_unmatched: &'static str,
    /// The category left unchosen.
    pub category_missing: &'static str,
    pub location_text: &'static str,
    pub who: &'static str,
    pub subject_name: &'static str,
    pub subject_age: &'static str,
    pub subject_school: &'static str,
    pub subject_handles: &'static str,
    pub contact: &'static str,
    pub contact_hint: &'static str,
    pub contact_name: &'static str,
    pub contact_phone: &'static str,
    pub contact_email: &'static str,
    pub files: &'static str,
    pub files_hint: &'static str,
    pub submit: &'static str,
    pub optional: &'static str,
    pub fix_errors: &'static str,
    pub receipt_title: &'static str,
    pub receipt_keep: &'static str,
    pub reference: &'static str,
    pub passphrase: &'static str,
    pub save: &'static str,
    pub next_title: &'static str,
    pub next_steps: &'static str,
    pub follow_up: &'static str,
    pub follow_up_intro: &'static str,
    pub sign_in: &'static str,
    pub wrong_pair: &'static str,
    pub status: &'static str,
    pub conversation: &'static str,
    pub no_messages: &'static str,
    pub from_staff: &'static str,
    pub from_you: &'static str,
    pub reply: &'static str,
    pub send: &'static str,
    pub sent: &'static str,
    pub new_tip: &'static str,
    pub failed_title: &'static str,
    pub failed_body: &'static str,
    pub back_home: &'static str,
}

pub static EN: Text = Text {
    switch_to: "Español",
    title: "Report a concern",
    intro: "Tell us what you saw or heard. You do not have to give your name. We do not record your IP address or your device.",
    crisis_title: "Need help now?",
    crisis_danger: "If someone is in danger right now, call 911.",
    crisis_988: "Thinking about suicide or in crisis? Call or text 988, any time.",
    call_988: "Call 988",
    text_988: "Text 988",
    quick_exit: "Quick exit",
    sign_out: "Sign out",
    not_found_title: "This page does not exist",
    not_found_body: "The address may be mistyped. You can still report something or follow up on a report:",
    cookie_refused: "Your browser did not keep the sign-in, so your report cannot be shown. This site must be opened with https:// (ask whoever runs it), or allow cookies for it, and sign in again.",
    category: "What is it about?",
    choose: "Choose one",
    categories: [
        ("planned_attack", "A planned attack"),
        ("weapon", "A weapon"),
        ("threat", "A threat"),
        ("self_harm", "Self-harm or suicide"),
        ("bullying", "Bullying"),
        ("abuse", "Abuse"),
        ("drugs", "Drugs"),
        ("trafficking", "Trafficking"),
        ("suspicious_activity", "Suspicious activity"),
        ("cyber", "Online harm"),
        ("other", "Something else"),
    ],
    narrative: "What happened?",
    narrative_hint: "Who, what, where, when. Copy the exact words if someone posted or said something.",
    where_: "Where",
    site: "School or place",
    site_search: "Or type its name to find it",
    no_site: "Not a registered school or place",
    location_text: "Or describe the place",
    site_which: "Which place did you mean?",
    site_several: "several registered places match what you typed; choose one below",
    site_none_of_these: "None of these: send it with the place as I typed it",
    site_unmatched: "No registered school or place matched “{place}”. Your report will still be read: it went to {agency}, with the place as you typed it.",
    category_missing: "choose what it is about",
    who: "Who is it about? (if you know)",
    subject_name: "Name",
    subject_age: "Age",
    subject_school: "School",
    subject_handles: "Social media accounts (separate with commas)",
    contact: "How can we reach you? (optional)",
    contact_hint: "Only if you want to be contacted. Leave empty to stay anonymous.",
    contact_name: "Your name",
    contact_phone: "Your phone",
    contact_email: "Your e-mail",
    files: "Photos, videos or PDFs (optional)",
    files_hint: "Up to 5 files, 10 MB each. Photos are re-drawn from their pixels, so the place, the camera and anything hidden in them are removed. Videos and PDFs are kept exactly as sent and can still show where and on what device they were made: remove that first if it could identify you.",
    submit: "Send report",
    optional: "optional",
    fix_errors: "Please check the highlighted answers.",
    receipt_title: "Your report was received",
    receipt_keep: "Write these down or save them now. They are shown only once and we cannot show them again.",
    reference: "Reference",
    passphrase: "Passphrase",
    save: "Save as a file",
    next_title: "What happens next",
    next_steps: "Your report has been sent to the people responsible. Someone must look at it before a deadline, or it goes to their supervisors. Come back with your reference and passphrase to read their questions and add information.",
    follow_up: "Follow up on a report",
    follow_up_intro: "Sign in with the reference and passphrase you got when you sent your report.",
    sign_in: "Sign in",
    wrong_pair: "That reference and passphrase do not match a report. Check them and try again.",
    status: "Status",
    conversation: "Messages",
    no_messages: "No messages yet.",
    from_staff: "From the team",
    from_you: "You",
    reply: "Answer or add information",
    send: "Send",
    sent: "Sent. Thank you.",
    new_tip: "Report something else",
    failed_title: "Something went wrong",
    failed_body: "We could not finish that just now. If you were sending a report and did not see a reference and passphrase, please send it again. If someone is in danger right now, call 911.",
    back_home: "Back to the start",
};

pub static ES: Text = Text {
    switch_to: "English",
    title: "Reportar una preocupación",
    intro: "Cuéntenos lo que vio u oyó. No tiene que dar su nombre. No guardamos su dirección IP ni datos de su dispositivo.",
    crisis_title: "¿Necesita ayuda ahora?",
    crisis_danger: "Si alguien está en peligro ahora mismo, llame al 911.",
    crisis_988: "¿Piensa en el suicidio o está en crisis? Llame o envíe un mensaje al 988, a cualquier hora.",
    call_988: "Llamar al 988",
    text_988: "Mensaje al 988",
    quick_exit: "Salida rápida",
    sign_out: "Cerrar sesión",
    not_found_title: "Esta página no existe",
    not_found_body: "Puede que la dirección esté mal escrita. Aún puede reportar algo o dar seguimiento a un reporte:",
    cookie_refused: "Su navegador no guardó el inicio de sesión, así que no se puede mostrar su reporte. Este sitio debe abrirse con https:// (pregunte a quien lo administra), o permita las cookies para él, e inicie sesión de nuevo.",
    category: "¿De qué se trata?",
    choose: "Elija una opción",
    categories: [
        ("planned_attack", "Un ataque planeado"),
        ("weapon", "Un arma"),
        ("threat", "Una amenaza"),
        ("self_harm", "Autolesión o suicidio"),
        ("bullying", "Acoso escolar"),
        ("abuse", "Abuso"),
        ("drugs", "Drogas"),
        ("trafficking", "Trata de personas"),
        ("suspicious_activity", "Actividad sospechosa"),
        ("cyber", "Daño en línea"),
        ("other", "Otra cosa"),
    ],
    narrative: "¿Qué pasó?",
    narrative_hint: "Quién, qué, dónde, cuándo. Copie las palabras exactas si alguien publicó o dijo algo.",
    where_: "Dónde",
    site: "Escuela o lugar",
    site_search: "O escriba su nombre para buscarlo",
    no_site: "No es una escuela o lugar registrado",
    location_text: "O describa el lugar",
    site_which: "¿Qué lugar quiso decir?",
    site_several: "varios lugares registrados coinciden con lo que escribió; elija uno abajo",
    site_none_of_these: "Ninguno de estos: enviarlo con el lugar como lo escribí",
    site_unmatched: "Ningún escuela o lugar registrado coincidió con «{place}». Su reporte será leído igualmente: fue enviado a {agency}, con el lugar como lo escribió.",
    category_missing: "elija de qué se trata",
    who: "¿Sobre quién es? (si lo sabe)",
    subject_name: "Nombre",
    subject_age: "Edad",
    subject_school: "Escuela",
    subject_handles: "Cuentas de redes sociales (separadas por comas)",
    contact: "¿Cómo podemos contactarle? (opcional)",
    contact_hint: "Solo si quiere que le contacten. Déjelo vacío para seguir en el anonimato.",
    contact_name: "Su nombre",
    contact_phone: "Su teléfono",
    contact_email: "Su correo electrónico",
    files: "Fotos, videos o PDF (opcional)",
    files_hint: "Hasta 5 archivos de 10 MB cada uno. Las fotos se vuelven a dibujar a partir de sus píxeles, así que se quitan el lugar, la cámara y todo lo que lleven oculto. Los videos y PDF se guardan tal como llegan y pueden mostrar dónde y con qué aparato se hicieron: quítelo antes si pudiera identificarle.",
    submit: "Enviar reporte",
    optional: "opcional",
    fix_errors: "Revise las respuestas señaladas.",
    receipt_title: "Recibimos su reporte",
    receipt_keep: "Anote o guarde estos datos ahora. Solo se muestran una vez y no podemos volver a mostrarlos.",
    reference: "Referencia",
    passphrase: "Contraseña",
    save: "Guardar como archivo",
    next_title: "Qué pasa ahora",
    next_steps: "Su reporte fue enviado a las personas responsables. Alguien debe revisarlo antes de un plazo, o pasa a sus supervisores. Vuelva con su referencia y contraseña para leer sus preguntas y agregar información.",
    follow_up: "Seguimiento de un reporte",
    follow_up_intro: "Entre con la referencia y la contraseña que recibió al enviar su reporte.",
    sign_in: "Entrar",
    wrong_pair: "Esa referencia y contraseña no corresponden a un reporte. Revíselas e intente de nuevo.",
    status: "Estado",
    conversation: "Mensajes",
    no_messages: "Todavía no hay mensajes.",
    from_staff: "Del equipo",
    from_you: "Usted",
    reply: "Responder o agregar información",
    send: "Enviar",
    sent: "Enviado. Gracias.",
    new_tip: "Reportar otra cosa",
    failed_title: "Algo salió mal",
    failed_body: "No pudimos terminar eso ahora. Si estaba enviando un reporte y no vio una referencia y una contraseña, envíelo de nuevo. Si alguien está en peligro ahora mismo, llame al 911.",
    back_home: "Volver al inicio",
};

/// Status words for the tipster, in their language.
pub fn status_words(lang: Lang, status: domain::status::Status) -> &'static str {
    use domain::status::Status::*;
    match (lang, status) {
        (Lang::En, s) => s.tipster_words(),
        (Lang::Es, Received | Triaged | Routed) => {
            "Recibido. Su reporte fue enviado a las personas responsables y espera que lo tomen."
        }
        (Lang::Es, Acknowledged | InProgress | AwaitingReview) => {
            "En proceso. Una persona responsable tiene su reporte y lo está revisando."
        }
        (Lang::Es, Closed) => "Cerrado. Las personas responsables terminaron su trabajo con su reporte. Gracias.",
    }
}

/// A field error's reason in the tipster's language. The parser's reasons are English; the
/// ones the form can meet are said again in Spanish, and a code list is never shown.
pub fn reason(lang: Lang, field: &str, reason: &str) -> String {
    let t = lang.text();
    if field == "category" {
        return t.category_missing.to_owned();
    }
    if lang == Lang::En {
        return reason.to_owned();
    }
    let numbers: Vec<&str> = reason.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty()).collect();
    match (reason, numbers.as_slice()) {
        ("must not be empty", _) => "no puede estar vacío".to_owned(),
        ("has no visible character", _) => "no tiene ningún carácter visible".to_owned(),
        ("must be a number", _) => "debe ser un número".to_owned(),
        ("must be from 0 to 120", _) => "debe estar entre 0 y 120".to_owned(),
        ("is not a registered site" | "must be a registered site's id", _) => "no es un lugar registrado".to_owned(),
        (r, [n, max]) if r.starts_with("is ") && r.contains("; the limit is ") => {
            format!("tiene {n} caracteres; el límite es {max}")
        }
        (r, [max]) if r.starts_with("is longer than ") => format!("tiene más de {max} caracteres"),
        (r, _) => r.to_owned(),
    }
}

/// Field error reasons in the tipster's language, for the fields the form has.
pub fn field_label(lang: Lang, field: &str) -> &'static str {
    let t = lang.text();
    match field {
        "category" => t.category,
        "narrative" => t.narrative,
        "site_id" => t.site,
        "site_name" => t.site_search,
        "location.text" | "location_text" => t.location_text,
        f if f.starts_with("subjects") && f.ends_with("age") => t.subject_age,
        f if f.starts_with("subjects") => t.who,
        f if f.starts_with("contact") => t.contact,
        "attachments" => t.files,
        _ => t.fix_errors,
    }
}
