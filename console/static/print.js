// The slip's print button: the page's own script, as the console's policy allows no inline one.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
