// stands in for the space part's webauthn.js in Click&Cert's page tests
