-- Perceptual hashes (issue 23): for intimate-image abuse a client sends a picture's PDQ fingerprint instead of the
-- picture (Item.perceptualHashes in the report body). The hub keeps each fingerprint in a row of its own so that a new
-- report can be matched with earlier ones by Hamming distance, and moderators see that the same picture is being
-- reported again without ever seeing it. hub/domain/perceptual.ts reads these tables; docs/hub-data-model.md explains.
--
-- Matching is multi-index hashing (Norouzi et al., as PDQ's own index does): the 256 bits are cut into 16 bands of
-- 16 bits. Two hashes within distance d of each other agree to within floor(d / 16) bits on at least one band
-- (pigeonhole: were every band more than that apart, the total would exceed d). So the candidates for one hash are
-- the rows whose band value is within floor(d / 16) bits of its own on some band: for the default d = 31, each of
-- 16 bands × 17 values (itself and its 16 one-bit neighbours), each an index-only range of image_hash_bands. Every
-- candidate is then checked exactly with bit_count(a # b). No candidate within d is missed; for random hashes a probe
-- finds about rows / 65,536 candidates, so a million fingerprints cost about 4,000 exact checks a look-up.

CREATE TABLE image_hashes (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reference   text NOT NULL REFERENCES reports (reference) ON DELETE CASCADE,
  item_index  integer NOT NULL CHECK (item_index >= 0),
  algorithm   text NOT NULL CHECK (algorithm = 'pdq'),
  hash        bit(256) NOT NULL,
  quality     smallint NOT NULL CHECK (quality BETWEEN 0 AND 100)
);
CREATE INDEX image_hashes_reference_idx ON image_hashes (reference);

-- One row per band of each hash: band 0 is bits 255..240 as written in hex (the first four digits), band 15 the last.
CREATE TABLE image_hash_bands (
  band    smallint NOT NULL CHECK (band BETWEEN 0 AND 15),
  value   integer NOT NULL CHECK (value BETWEEN 0 AND 65535),
  hash_id bigint NOT NULL REFERENCES image_hashes (id) ON DELETE CASCADE,
  PRIMARY KEY (band, value, hash_id)
);
CREATE INDEX image_hash_bands_hash_idx ON image_hash_bands (hash_id);

-- The report body's fingerprints, as rows. Kept by a trigger on the body, like report_keys (003), so that every way
-- a report arrives (the intake, a batch COPY) fills them, and erasure, which replaces the body with a tombstone that
-- has no fingerprints, empties them.
CREATE FUNCTION ohr_image_hashes_sync() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    DELETE FROM image_hashes WHERE reference = NEW.reference;
  END IF;
  WITH added AS (
    INSERT INTO image_hashes (reference, item_index, algorithm, hash, quality)
    SELECT NEW.reference, i.n - 1, p->>'algorithm', ('x' || (p->>'hash'))::bit(256), (p->>'quality')::smallint
      FROM jsonb_array_elements(CASE WHEN jsonb_typeof(NEW.body->'items') = 'array' THEN NEW.body->'items' ELSE '[]' END)
             WITH ORDINALITY AS i (item, n),
           jsonb_array_elements(CASE WHEN jsonb_typeof(i.item->'perceptualHashes') = 'array' THEN i.item->'perceptualHashes' ELSE '[]' END) AS p
     WHERE p->>'algorithm' = 'pdq' AND p->>'hash' ~ '^[0-9a-f]{64}$'
    RETURNING id, hash
  )
  INSERT INTO image_hash_bands (band, value, hash_id)
  SELECT b, substring(a.hash FROM b * 16 + 1 FOR 16)::integer, a.id FROM added a, generate_series(0, 15) AS b;
  RETURN NULL;
END
$$;
CREATE TRIGGER image_hashes_insert AFTER INSERT ON reports FOR EACH ROW EXECUTE FUNCTION ohr_image_hashes_sync();
CREATE TRIGGER image_hashes_update AFTER UPDATE OF body ON reports FOR EACH ROW EXECUTE FUNCTION ohr_image_hashes_sync();
