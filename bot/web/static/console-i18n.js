// The consoles' translations and formats. The page carries the catalogue of its language
// as JSON (#console-messages); message ids are the English texts, with %(name)s placeholders.
(function () {
  "use strict";
  const source = document.getElementById("console-messages");
  const messages = source ? JSON.parse(source.textContent) : {};
  const locale = document.documentElement.lang || "pl";

  function gettext(message, values) {
    const text = messages[message] || message;
    return text.replace(/%\((\w+)\)s/g, (whole, name) =>
      values && name in values ? String(values[name]) : whole,
    );
  }

  function number(value, digits) {
    const d = digits || 0;
    return new Intl.NumberFormat(locale, {
      minimumFractionDigits: d,
      maximumFractionDigits: d,
    }).format(value);
  }

  window.consoleI18n = { gettext, number, locale };
})();
