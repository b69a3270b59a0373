/*
 * WebAuthn in the customer space (no inline script: loaded from this file by the pages that need it).
 *
 * Assertion (login's second step, re-authentication, Click&Cert): a <form data-webauthn-get="OPTIONS_URL"> with
 * hidden inputs factorKind and factorResponse, a csrf field, and a button data-webauthn-start. The click POSTs to
 * OPTIONS_URL (header X-CSRF-Token = the form's csrf), gets PublicKeyCredentialRequestOptions (binary fields
 * Base64url), calls navigator.credentials.get, writes the credential as JSON (Base64url fields: id, rawId, type,
 * response.clientDataJSON, authenticatorData, signature, userHandle) into factorResponse, sets factorKind=webauthn
 * and submits the form.
 *
 * Registration (security page): a <form data-webauthn-create="OPTIONS_URL"> with a hidden input credential and a
 * button data-webauthn-register: the same with navigator.credentials.create (response.attestationObject).
 */
(function () {
  'use strict';

  function fromB64u(s) {
    var b = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4));
    var a = new Uint8Array(b.length);
    for (var i = 0; i < b.length; i++) { a[i] = b.charCodeAt(i); }
    return a.buffer;
  }

  function toB64u(buf) {
    if (!buf) { return null; }
    var a = new Uint8Array(buf), s = '';
    for (var i = 0; i < a.length; i++) { s += String.fromCharCode(a[i]); }
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function csrf(form) {
    var f = form.querySelector('input[name="csrf"]');
    return f ? f.value : '';
  }

  function fail(form, e) {
    var p = form.querySelector('[data-webauthn-error]');
    if (p) { p.hidden = false; }
    if (window.console) { console.warn('WebAuthn: ' + (e && e.name ? e.name : e)); }
  }

  function options(form, url) {
    return fetch(url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'X-CSRF-Token': csrf(form), 'Content-Type': 'application/json' }, body: '{}'
    }).then(function (r) {
      if (!r.ok) { throw new Error('options ' + r.status); }
      return r.json();
    });
  }

  function ids(list) {
    return (list || []).map(function (c) { return { type: c.type, id: fromB64u(c.id), transports: c.transports }; });
  }

  function get(form) {
    options(form, form.getAttribute('data-webauthn-get')).then(function (o) {
      o.challenge = fromB64u(o.challenge);
      o.allowCredentials = ids(o.allowCredentials);
      return navigator.credentials.get({ publicKey: o });
    }).then(function (c) {
      form.querySelector('input[name="factorResponse"]').value = JSON.stringify({
        id: c.id, rawId: toB64u(c.rawId), type: c.type,
        response: {
          clientDataJSON: toB64u(c.response.clientDataJSON),
          authenticatorData: toB64u(c.response.authenticatorData),
          signature: toB64u(c.response.signature),
          userHandle: toB64u(c.response.userHandle)
        },
        clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {}
      });
      form.querySelector('input[name="factorKind"]').value = 'webauthn';
      form.submit();
    }).catch(function (e) { fail(form, e); });
  }

  function create(form) {
    options(form, form.getAttribute('data-webauthn-create')).then(function (o) {
      o.challenge = fromB64u(o.challenge);
      o.user.id = fromB64u(o.user.id);
      o.excludeCredentials = ids(o.excludeCredentials);
      return navigator.credentials.create({ publicKey: o });
    }).then(function (c) {
      form.querySelector('input[name="credential"]').value = JSON.stringify({
        id: c.id, rawId: toB64u(c.rawId), type: c.type,
        response: {
          clientDataJSON: toB64u(c.response.clientDataJSON),
          attestationObject: toB64u(c.response.attestationObject),
          transports: c.response.getTransports ? c.response.getTransports() : []
        },
        clientExtensionResults: c.getClientExtensionResults ? c.getClientExtensionResults() : {}
      });
      form.submit();
    }).catch(function (e) { fail(form, e); });
  }

  function ready() {
    var supported = !!(window.PublicKeyCredential && navigator.credentials);
    document.querySelectorAll('form[data-webauthn-get] [data-webauthn-start]').forEach(function (b) {
      var form = b.closest('form');
      if (!supported) { b.disabled = true; return; }
      b.addEventListener('click', function (ev) { ev.preventDefault(); get(form); });
    });
    document.querySelectorAll('form[data-webauthn-create] [data-webauthn-register]').forEach(function (b) {
      var form = b.closest('form');
      if (!supported) { b.disabled = true; return; }
      b.addEventListener('click', function (ev) { ev.preventDefault(); create(form); });
    });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', ready);
  } else {
    ready();
  }
}());
