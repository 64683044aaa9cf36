// The chat widget's own texts in each of its languages: its translation catalogue. Messages
// from the assistant come translated by the server; these are only the widget's labels, notes
// and announcements. Placeholders: {n} a number, {max} the longest message allowed.
(function () {
  "use strict";

  // The widget's languages in the order of its language menu, each named in itself.
  const names = { pl: "Polski", en: "English", uk: "Українська", ru: "Русский" };

  const messages = {
    pl: {
      greeting:
        "Dzień dobry! Jestem automatycznym asystentem INFO.OPT. Zapytaj o zezwolenie na pobyt " +
        "lub pracę albo wybierz temat:",
      finderTopic: "Jakiego zezwolenia potrzebuję?",
      consultantSays: "Konsultant {name}:",
      consultantUnnamed: "INFO.OPT",
      region: "Czat INFO.OPT",
      launcher: "Czat z asystentem INFO.OPT",
      unread: "nieprzeczytane wiadomości: {n}",
      title: "Asystent INFO.OPT",
      close: "Zamknij czat",
      language: "Język",
      human: "Porozmawiaj z konsultantem",
      log: "Rozmowa z asystentem",
      notice:
        "Informacje ogólne, a nie porada prawna. Prosimy nie podawać danych osobowych, " +
        "takich jak numer paszportu, PESEL czy numer sprawy.",
      botSays: "Asystent:",
      youSay: "Ty:",
      pending: "czeka na wysłanie",
      typing: "Asystent pisze",
      quickReplies: "Proponowane odpowiedzi",
      newTab: " (otwiera się w nowej karcie)",
      inputLabel: "Twoja wiadomość",
      placeholder: "Wpisz pytanie…",
      send: "Wyślij",
      counter: "{n}/{max} znaków",
      tooLong: "Wiadomość jest za długa ({n}/{max} znaków)",
      offline: "Brak połączenia, ponowne łączenie…",
      reconnected: "Połączono ponownie",
      unavailable: "Czat jest chwilowo niedostępny.",
    },
    en: {
      greeting:
        "Hello! I'm the automated INFO.OPT assistant. Ask about residence or work permits, " +
        "or choose a topic:",
      finderTopic: "Which permit do I need?",
      consultantSays: "Consultant {name}:",
      consultantUnnamed: "INFO.OPT",
      region: "INFO.OPT chat",
      launcher: "Chat with the INFO.OPT assistant",
      unread: "unread messages: {n}",
      title: "INFO.OPT assistant",
      close: "Close chat",
      language: "Language",
      human: "Talk to a consultant",
      log: "Conversation with the assistant",
      notice:
        "General information, not legal advice. Please don’t share personal data such as " +
        "passport, PESEL or case numbers.",
      botSays: "Assistant:",
      youSay: "You:",
      pending: "waiting to send",
      typing: "Assistant is typing",
      quickReplies: "Suggested replies",
      newTab: " (opens in a new tab)",
      inputLabel: "Your message",
      placeholder: "Type your question…",
      send: "Send",
      counter: "{n}/{max} characters",
      tooLong: "Your message is too long ({n}/{max} characters)",
      offline: "Offline, reconnecting…",
      reconnected: "Connected again",
      unavailable: "The chat is temporarily unavailable.",
    },
    uk: {
      greeting:
        "Вітаю! Я автоматичний помічник INFO.OPT. Запитайте про дозвіл на проживання " +
        "чи роботу або виберіть тему:",
      finderTopic: "Який дозвіл мені потрібен?",
      consultantSays: "Консультант {name}:",
      consultantUnnamed: "INFO.OPT",
      region: "Чат INFO.OPT",
      launcher: "Чат з асистентом INFO.OPT",
      unread: "непрочитані повідомлення: {n}",
      title: "Асистент INFO.OPT",
      close: "Закрити чат",
      language: "Мова",
      human: "Поговорити з консультантом",
      log: "Розмова з асистентом",
      notice:
        "Загальна інформація, а не юридична консультація. Будь ласка, не повідомляйте " +
        "персональних даних, як-от номер паспорта, PESEL чи номер справи.",
      botSays: "Асистент:",
      youSay: "Ви:",
      pending: "очікує надсилання",
      typing: "Асистент друкує",
      quickReplies: "Запропоновані відповіді",
      newTab: " (відкривається в новій вкладці)",
      inputLabel: "Ваше повідомлення",
      placeholder: "Напишіть запитання…",
      send: "Надіслати",
      counter: "{n}/{max} символів",
      tooLong: "Повідомлення задовге ({n}/{max} символів)",
      offline: "Немає з’єднання, повторне підключення…",
      reconnected: "З’єднання відновлено",
      unavailable: "Чат тимчасово недоступний.",
    },
    ru: {
      greeting:
        "Здравствуйте! Я автоматический помощник INFO.OPT. Спросите о разрешении на " +
        "пребывание или работу или выберите тему:",
      finderTopic: "Какое разрешение мне нужно?",
      consultantSays: "Консультант {name}:",
      consultantUnnamed: "INFO.OPT",
      region: "Чат INFO.OPT",
      launcher: "Чат с ассистентом INFO.OPT",
      unread: "непрочитанные сообщения: {n}",
      title: "Ассистент INFO.OPT",
      close: "Закрыть чат",
      language: "Язык",
      human: "Поговорить с консультантом",
      log: "Переписка с ассистентом",
      notice:
        "Общая информация, а не юридическая консультация. Пожалуйста, не сообщайте " +
        "персональные данные, например номер паспорта, PESEL или номер дела.",
      botSays: "Ассистент:",
      youSay: "Вы:",
      pending: "ожидает отправки",
      typing: "Ассистент печатает",
      quickReplies: "Предлагаемые ответы",
      newTab: " (откроется в новой вкладке)",
      inputLabel: "Ваше сообщение",
      placeholder: "Напишите вопрос…",
      send: "Отправить",
      counter: "{n}/{max} символов",
      tooLong: "Сообщение слишком длинное ({n}/{max} символов)",
      offline: "Нет соединения, переподключение…",
      reconnected: "Соединение восстановлено",
      unavailable: "Чат временно недоступен.",
    },
  };

  const widgetStrings = { names, messages };
  if (typeof module === "object" && module.exports)
    module.exports = widgetStrings; // node --test
  else (globalThis.infoopt = globalThis.infoopt || {}).widgetStrings = widgetStrings;
})();
