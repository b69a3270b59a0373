// Click&Cert: drag and drop of the PDF, its size and type checked before upload, and exact placing of the visible
// seal on the preview whatever its displayed size. Everything works without this script (plain forms).
(function () {
  'use strict';

  var zone = document.getElementById('dropzone');
  var input = document.getElementById('file');
  if (zone && input) {
    var max = parseInt(zone.getAttribute('data-max-bytes'), 10);
    var error = document.getElementById('file-error');
    var chosen = document.getElementById('file-chosen');
    var dropText = document.getElementById('drop-text');
    var upload = document.getElementById('upload');
    if (dropText) {
      dropText.hidden = false;
    }
    var check = function () {
      var f = input.files && input.files[0];
      error.hidden = true;
      error.textContent = '';
      chosen.textContent = '';
      if (!f) {
        return true;
      }
      var name = f.name || '';
      var pdf = f.type === 'application/pdf' || /\.pdf$/i.test(name);
      var message = '';
      if (!pdf) {
        message = zone.getAttribute('data-t-not-pdf');
      } else if (max > 0 && f.size > max) {
        message = zone.getAttribute('data-t-too-large');
      }
      if (message) {
        error.textContent = message;
        error.hidden = false;
        input.value = '';
        return false;
      }
      chosen.textContent = zone.getAttribute('data-t-chosen') + ' ' + name;
      return true;
    };
    input.addEventListener('change', check);
    ['dragenter', 'dragover'].forEach(function (type) {
      zone.addEventListener(type, function (e) {
        e.preventDefault();
        zone.classList.add('dragging');
      });
    });
    ['dragleave', 'drop'].forEach(function (type) {
      zone.addEventListener(type, function (e) {
        e.preventDefault();
        zone.classList.remove('dragging');
      });
    });
    zone.addEventListener('drop', function (e) {
      if (e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files.length > 0) {
        try {
          var dt = new DataTransfer();
          dt.items.add(e.dataTransfer.files[0]);
          input.files = dt.files;
        } catch (ignored) {
          input.files = e.dataTransfer.files;
        }
        check();
      }
    });
    if (upload && upload.form) {
      upload.form.addEventListener('submit', function (e) {
        if (!check()) {
          e.preventDefault();
        }
      });
    }
  }

  // The preview is an image button: its own coordinates are those of the image as displayed; send those of the
  // picture the server drew instead, so that the seal lands where it was clicked on a phone too.
  var preview = document.getElementById('preview');
  var px = document.getElementById('px');
  var py = document.getElementById('py');
  if (preview && px && py) {
    preview.classList.add('fit');
    var natural = new Image();
    natural.addEventListener('load', function () {
      preview.setAttribute('data-natural-width', String(natural.naturalWidth));
      preview.setAttribute('data-natural-height', String(natural.naturalHeight));
    });
    natural.src = preview.getAttribute('src');
    preview.addEventListener('click', function (e) {
      var box = preview.getBoundingClientRect();
      if (!natural.naturalWidth || box.width <= 0 || box.height <= 0) {
        return; // the browser's own coordinates then
      }
      e.preventDefault();
      px.value = String(Math.round((e.clientX - box.left) * natural.naturalWidth / box.width));
      py.value = String(Math.round((e.clientY - box.top) * natural.naturalHeight / box.height));
      preview.form.submit();
    });
  }
})();
