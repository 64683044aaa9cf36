// ESLint for the browser scripts the web app serves and their node tests (`make lint`).
"use strict";

const js = require("@eslint/js");
const globals = require("globals");

module.exports = [
  { ignores: ["node_modules/", ".venv/", ".venv-rasa/", "var/", "models/"] },
  js.configs.recommended,
  {
    // Classic scripts, no build step: each file is an IIFE; the widget's parts share
    // `globalThis.infoopt`, and the pure ones export to node through `module`.
    files: ["bot/web/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: { ...globals.browser, module: "readonly" },
    },
  },
  {
    files: ["tests/**/*.mjs"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: globals.node },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs", globals: globals.node },
  },
];
