/*
 * The password page's strength meter: a hint only, the server's policy decides (at least 12 characters, not a
 * common password, not the e-mail's local part). Scores length and variety: 0 weak .. 4 strong.
 */
(function () {
  'use strict';

  function score(p, email) {
    if (!p) { return 0; }
    var local = (email || '').toLowerCase().split('@')[0];
    if (local.length >= 3 && p.toLowerCase().indexOf(local) >= 0) { return 0; }
    var classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter(function (r) { return r.test(p); }).length;
    var distinct = new Set(p.split('')).size;
    if (p.length < 12 || distinct < 5) { return p.length < 8 ? 0 : 1; }
    var s = 1;
    if (p.length >= 14) { s++; }
    if (p.length >= 18) { s++; }
    if (classes >= 3) { s++; }
    return Math.min(4, s);
  }

  function ready() {
    var input = document.getElementById('password');
    var meter = document.getElementById('password-meter');
    var text = document.getElementById('password-meter-text');
    if (!input || !meter || !text) { return; }
    var words = ['weak', 'weak', 'fair', 'good', 'strong'];
    meter.hidden = false;
    input.addEventListener('input', function () {
      var s = score(input.value, input.getAttribute('data-email'));
      meter.value = s;
      text.textContent = input.value ? text.getAttribute('data-' + words[s]) : '';
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
}());
