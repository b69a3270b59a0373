// The camera check and the guided captures of the phone flow. The rear camera is asked for 1080 × 1920 (ideal); the
// resolution its track really delivers is read back and anything below 1080 × 1920 (either orientation) stops here
// with what to do. While the camera runs, the light is measured on a small canvas: too dark, or back-light (a
// background much brighter than the centre). Each photo is drawn from the video at full resolution, sent as a JPEG
// to the server (same origin, with the page's anti-forgery token) which checks it again and keeps it.
(function () {
  'use strict';
  var MIN_SHORT = 1080, MIN_LONG = 1920;
  var flow = document.getElementById('flow');
  if (!flow || !document.getElementById('camera-start')) return;
  var data = function (name) { return flow.getAttribute('data-' + name) || ''; };
  var text = function (name, args) {
    var s = data('t-' + name);
    (args || []).forEach(function (a, i) { s = s.split('{' + i + '}').join(String(a)); });
    return s;
  };
  var $ = function (id) { return document.getElementById(id); };
  var kinds = data('kinds').split(',').filter(Boolean);
  var received = data('received').split(',').filter(Boolean);
  var stream = null, facing = null, meterTimer = null, busy = false;
  var video = $('preview');

  function current() {
    for (var i = 0; i < kinds.length; i++) if (received.indexOf(kinds[i]) < 0) return kinds[i];
    return null;
  }

  function show(el, visible) { el.hidden = !visible; }

  function fail(where, message) {
    var box = $(where);
    box.textContent = message;
    show(box, true);
  }

  function stop() {
    if (meterTimer) { clearInterval(meterTimer); meterTimer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    facing = null;
  }

  function open(wanted) {
    if (stream && facing === wanted) return Promise.resolve(stream);
    stop();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return Promise.reject(Object.assign(new Error('no camera'), { name: 'NotFoundError' }));
    }
    return navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: wanted }, width: { ideal: MIN_SHORT }, height: { ideal: MIN_LONG } }
    }).then(function (s) {
      stream = s; facing = wanted;
      video.srcObject = s;
      return new Promise(function (resolve) {
        if (video.readyState >= 1 && video.videoWidth) resolve(s);
        else video.addEventListener('loadedmetadata', function () { resolve(s); }, { once: true });
      });
    });
  }

  /** The size the track really delivers: its settings, else the video's. */
  function size() {
    var st = stream.getVideoTracks()[0].getSettings ? stream.getVideoTracks()[0].getSettings() : {};
    var w = st.width || video.videoWidth, h = st.height || video.videoHeight;
    return { w: w, h: h, ok: Math.min(w, h) >= MIN_SHORT && Math.max(w, h) >= MIN_LONG };
  }

  function meter() {
    var canvas = $('meter'), ctx = canvas.getContext('2d', { willReadFrequently: true });
    var light = $('light');
    if (meterTimer) clearInterval(meterTimer);
    meterTimer = setInterval(function () {
      if (!video.videoWidth) return;
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      var all = 0, centre = 0, border = 0, nc = 0, nb = 0;
      for (var y = 0; y < canvas.height; y++) {
        for (var x = 0; x < canvas.width; x++) {
          var i = (y * canvas.width + x) * 4;
          var l = 0.299 * px[i] + 0.587 * px[i + 1] + 0.114 * px[i + 2];
          all += l;
          var inner = x > canvas.width / 4 && x < canvas.width * 3 / 4 && y > canvas.height / 4 && y < canvas.height * 3 / 4;
          if (inner) { centre += l; nc++; } else { border += l; nb++; }
        }
      }
      var mean = all / (nc + nb), c = centre / nc, b = border / nb;
      var state, cls;
      if (mean < 60) { state = text('dark'); cls = 'light bad'; }
      else if (b > 200 && b - c > 50) { state = text('backlight'); cls = 'light warn'; }
      else { state = text('light-ok'); cls = 'light'; }
      if (light.textContent !== state) { light.textContent = state; light.className = cls; }
      light.setAttribute('data-luma', String(Math.round(mean)));
    }, 400);
  }

  function step() {
    var kind = current();
    kinds.forEach(function (k) {
      var li = $('step-' + k);
      li.classList.toggle('current', k === kind);
      li.classList.toggle('done', received.indexOf(k) >= 0);
    });
    if (!kind) {
      stop();
      show($('viewer'), false);
      show($('next'), true);
      var link = $('next').querySelector('a');
      if (link) link.focus();
      return Promise.resolve();
    }
    var li = $('step-' + kind);
    var wanted = li.getAttribute('data-facing');
    $('step-heading').textContent = li.getAttribute('data-title');
    $('step-hint').textContent = li.getAttribute('data-hint');
    show($('upload-error'), false);
    $('upload-status').textContent = '';
    return open(wanted).then(function () {
      var s = size();
      $('camera-status').textContent = text(s.ok ? 'ok' : 'resolution', [s.w, s.h]);
      $('camera-status').setAttribute('data-width', String(s.w));
      $('camera-status').setAttribute('data-height', String(s.h));
      if (!s.ok) {
        stop();
        show($('viewer'), false);
        fail('camera-error', text(wanted === 'user' ? 'too-low-selfie' : 'too-low', [s.w, s.h]));
        show($('other-phone'), true);
        return;
      }
      show($('camera-error'), false);
      show($('other-phone'), false);
      show($('viewer'), true);
      meter();
    });
  }

  function cameraFailed(e) {
    stop();
    show($('viewer'), false);
    var denied = e && (e.name === 'NotAllowedError' || e.name === 'SecurityError');
    fail('camera-error', text(denied ? 'denied' : 'no-camera'));
    $('camera-status').textContent = '';
  }

  function jpeg(canvas, quality) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, 'image/jpeg', quality); });
  }

  function shoot() {
    var kind = current();
    if (!kind || busy || !video.videoWidth) return;
    busy = true;
    $('shoot').disabled = true;
    show($('upload-error'), false);
    var canvas = $('snapshot');
    var s = size();
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    if (Math.min(canvas.width, canvas.height) < Math.min(s.w, s.h)) { canvas.width = s.w; canvas.height = s.h; }
    canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
    var max = Number(data('max-bytes')) || 15 * 1024 * 1024;
    $('upload-status').textContent = text('uploading');
    jpeg(canvas, 0.92).then(function (blob) {
      return blob && blob.size > max ? jpeg(canvas, 0.75) : blob;
    }).then(function (blob) {
      var headers = { 'Content-Type': 'image/jpeg' };
      headers[data('token-header')] = data('token');
      return fetch(data('upload') + kind, { method: 'POST', headers: headers, body: blob, credentials: 'same-origin' })
        .then(function (answer) {
          return answer.json().catch(function () { return {}; }).then(function (body) {
            if (!answer.ok) throw Object.assign(new Error('refused'), { body: body });
            var thumb = $('thumb-' + kind);
            thumb.src = URL.createObjectURL(blob);
            show(thumb, true);
            $('state-' + kind).textContent = text('uploaded');
            received.push(kind);
            $('upload-status').textContent = text('uploaded');
          });
        });
    }).then(step).catch(function (e) {
      $('upload-status').textContent = '';
      fail('upload-error', e && e.body && e.body.message ? e.body.message : text('failed'));
    }).then(function () {
      busy = false;
      $('shoot').disabled = false;
    });
  }

  $('camera-start').addEventListener('click', function () {
    show($('camera-error'), false);
    $('camera-status').textContent = text('starting');
    step().catch(cameraFailed);
  });
  $('shoot').addEventListener('click', shoot);
  window.addEventListener('pagehide', stop);
})();
