// Reading view without deletions: the button (hidden until this script runs) toggles the class "hide-deletions" on
// the root element, which the style sheet uses to hide deletions and removed rows and terms of the main text.
(function () {
  "use strict";
  var button = document.getElementById("html-toggle-deletions");
  if (!button) { return; }
  var root = document.documentElement;
  button.hidden = false;
  button.addEventListener("click", function () {
    var hide = !root.classList.contains("hide-deletions");
    root.classList.toggle("hide-deletions", hide);
    button.setAttribute("aria-pressed", hide ? "true" : "false");
    button.textContent = hide ? "Show deletions" : "Hide deletions";
  });
}());
