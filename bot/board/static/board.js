// The board's only script: fills the login code from the link, and refreshes the live parts
// of a page (elements with data-live="<url>" data-every="<seconds>") without reloading it.
(function () {
  "use strict";

  function fillLoginCode() {
    var field = document.getElementById("code");
    if (!field || !window.location.hash || window.location.hash.length < 2) { return; }
    field.value = decodeURIComponent(window.location.hash.slice(1));
    // The code leaves the address bar and the history at once: it is a password.
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
    var button = document.getElementById("login-button");
    if (button) { button.focus(); }
  }

  function keepRefreshed(part) {
    var url = part.getAttribute("data-live");
    var seconds = parseInt(part.getAttribute("data-every"), 10) || 30;
    var timer = window.setInterval(function () {
      // Someone using the keyboard inside the part keeps their place: wait for the next round.
      if (part.contains(document.activeElement) && document.activeElement !== document.body) { return; }
      window.fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
        .then(function (response) {
          if (response.status === 401) {
            window.clearInterval(timer);
            window.location.reload();  // the session ended: the server shows the login page
            return null;
          }
          return response.ok ? response.text() : null;
        })
        .then(function (html) {
          if (html === null) { return; }
          part.innerHTML = html;
          if (!part.querySelector("[data-live]") && part.innerHTML.indexOf('id="stop"') === -1 &&
              part.getAttribute("data-every") !== "30") {
            window.clearInterval(timer);  // a notice that has finished: nothing more will change
          }
        })
        .catch(function () { /* offline for a moment: the next round tries again */ });
    }, seconds * 1000);
  }

  document.addEventListener("DOMContentLoaded", function () {
    fillLoginCode();
    var parts = document.querySelectorAll("[data-live]");
    for (var i = 0; i < parts.length; i += 1) { keepRefreshed(parts[i]); }
  });
}());
