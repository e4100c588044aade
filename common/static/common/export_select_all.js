// django-import-export's "Select all" box on the export page calls its handler from an inline
// onchange attribute, which the Content-Security-Policy (script-src 'self') blocks. The same
// handler, bound from this file instead.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input.select-toggle").forEach((toggle) => {
    toggle.removeAttribute("onchange");
    toggle.addEventListener("change", onSelectToggleChange);
  });
});
