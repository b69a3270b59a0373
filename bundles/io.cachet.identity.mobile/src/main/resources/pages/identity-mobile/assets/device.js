// The phone flow needs a phone: a page opened on a computer (a fine pointer, no touch) is sent to the page with the
// QR code and the short link. The server already tells most computers apart by their browser's name; this catches
// the rest (a computer whose browser claims to be a phone does not fool this, a phone without touch is rare).
(function () {
  'use strict';
  var flow = document.getElementById('flow');
  if (!flow || !window.matchMedia) return;
  var coarse = window.matchMedia('(pointer: coarse)').matches || window.matchMedia('(any-pointer: coarse)').matches;
  var touch = (navigator.maxTouchPoints || 0) > 0;
  if (!coarse && !touch) {
    window.location.replace(flow.getAttribute('data-desktop-url'));
  }
})();
