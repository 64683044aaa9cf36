// The checklist page's print button (a script file: the page's policy forbids inline handlers).
"use strict";
document.getElementById("print").addEventListener("click", () => window.print());
