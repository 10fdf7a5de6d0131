-- Pull reads each readable org's rows by (collection, org_id, seq) and shared printers from a
-- small partial index, so a page costs the same however much other orgs hold.
CREATE INDEX documents_shared_by_seq ON documents (collection, seq) WHERE cardinality(shared_with) > 0;
CREATE INDEX document_moves_from_by_seq ON document_moves (collection, from_org, seq);
