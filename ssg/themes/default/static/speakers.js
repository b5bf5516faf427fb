// Speakers index: the "Find a name" box keeps only the people whose name holds every word typed.
// Without JavaScript the box stays hidden and the whole list is there.
(function () {
  var find = document.getElementById("speaker-find"), box = document.getElementById("speaker-filter");
  var shown = document.getElementById("speaker-shown");
  var cards = document.querySelectorAll("#speaker-list > li");
  if (!find || !box) return;
  find.hidden = false;
  box.addEventListener("input", function () {
    var words = box.value.toLowerCase().split(/\s+/).filter(Boolean), count = 0;
    cards.forEach(function (card) {
      var name = card.dataset.name, hit = words.every(function (w) { return name.indexOf(w) >= 0; });
      card.hidden = !hit;
      if (hit) count++;
    });
    shown.textContent = words.length ? count + " of " + cards.length : "";
  });
})();
