"""Built-in redactors: each module registers redactors through ``register_redactors``.

- :mod:`.contact`: e-mail addresses, phone numbers, social handles, identifying URLs;
- :mod:`.financial`: payment card numbers (Luhn) and IBANs (ISO 7064 mod 97-10);
- :mod:`.references`: account, order, ticket, booking, policy... references, and the
  company's own identifier formats from ``[redaction] patterns`` in the config;
- :mod:`.addresses`: postal addresses, PO boxes and postcodes;
- :mod:`.birthdates`: dates of birth;
- :mod:`.names`: person names.
"""
