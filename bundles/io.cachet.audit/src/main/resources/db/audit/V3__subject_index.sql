-- The records about a subject (an order, an identity case...), for AuditLog.about: e.g. an order's evidence file.
CREATE INDEX audit_record_subject ON audit_record (subject, seq);
