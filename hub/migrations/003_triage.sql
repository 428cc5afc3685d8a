-- The triage queue and clusters: columns generated from the report body, so the intake insert stays as it is and a
-- COPY fills them too; and the indexes that make the queue an index scan. Every function here is IMMUTABLE (a pure
-- function of its arguments), which a generated column requires. See hub/README.md "Triage console: queue and clusters".

-- The strings of a JSON array, sorted and distinct; empty for anything else.
CREATE FUNCTION ohr_text_array(value jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT e ORDER BY e), '{}')
    FROM jsonb_array_elements_text(CASE WHEN jsonb_typeof(value) = 'array' THEN value ELSE '[]' END) AS e
$$;

-- The report's items (empty when there are none).
CREATE FUNCTION ohr_items(body jsonb) RETURNS SETOF jsonb LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT i FROM jsonb_array_elements(CASE WHEN jsonb_typeof(body->'items') = 'array' THEN body->'items' ELSE '[]' END) AS i
$$;

-- The one place the "same page" rule lives: a URL reduced to what identifies the content (test/unit/hub/
-- console-clusters-url.test.ts holds the table of cases). https for http, lower-case host without `www.`/`m.`/
-- `mobile.`, twitter.com as x.com, youtu.be and /shorts/ as watch?v=, no user info, default port, fragment or
-- trailing slash, and no tracking parameter (they say who shared a link, not what it points at: utm_*, fbclid, igshid,
-- si, s, t, ref, …); identifying ones (YouTube `v`, Facebook `story_fbid` and `id`, …) are not on the list, so they
-- stay, sorted. Anything that does not parse as a URL is trimmed only.
-- PL/pgSQL rather than SQL: it is called from inside other functions for every row, and a nested SQL function is
-- planned again on every call, where PL/pgSQL keeps its plans for the session (a COPY ran 50 times slower).
CREATE FUNCTION ohr_normalise_url(url text) RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  tracking CONSTANT text := '^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|igsh|si|s|t|ref|ref_src|ref_url|feature|mibextid|__cft__.*|__tn__|_rdr|rdid|share_id)$';
  m text[] := regexp_match(btrim(url), '^([A-Za-z][A-Za-z0-9+.-]*)://(?:[^@/?#]*@)?([^:/?#]*)(?::([0-9]*))?([^?#]*)(?:\?([^#]*))?');
  scheme text;
  host text;
  port text;
  path text;
  video text;
  kept text[] := '{}';
  param text;
BEGIN
  IF m IS NULL THEN
    RETURN btrim(url);
  END IF;
  scheme := lower(m[1]);
  host := regexp_replace(regexp_replace(lower(m[2]), '\.$', ''), '^(www|m|mobile|mbasic)\.', '');
  port := nullif(m[3], '');
  path := regexp_replace(m[4], '/+$', '');
  -- A video's short forms carry its id in the path; the key carries it as `v`, like the watch page.
  IF host = 'youtu.be' OR (host = 'youtube.com' AND path ~ '^/shorts/[^/]+$') THEN
    video := regexp_replace(path, '^(/shorts)?/', '');
    kept := ARRAY['v=' || video];
    host := 'youtube.com';
    path := '/watch';
  END IF;
  host := CASE host WHEN 'twitter.com' THEN 'x.com' WHEN 'fb.com' THEN 'facebook.com'
                    WHEN 'old.reddit.com' THEN 'reddit.com' WHEN 'new.reddit.com' THEN 'reddit.com' ELSE host END;
  FOREACH param IN ARRAY string_to_array(coalesce(m[5], ''), '&') LOOP
    CONTINUE WHEN param = '' OR lower(split_part(param, '=', 1)) ~ tracking OR (video IS NOT NULL AND split_part(param, '=', 1) = 'v');
    kept := kept || param;
  END LOOP;
  IF scheme IN ('http', 'https') THEN
    IF port IN ('80', '443') THEN
      port := NULL;
    END IF;
    scheme := 'https';
  END IF;
  RETURN scheme || '://' || host || coalesce(':' || port, '') || path
         || coalesce('?' || (SELECT string_agg(p, '&' ORDER BY p) FROM unnest(kept) AS p), '');
END
$$;

-- "Same page": each item's most specific address (permalink, else canonical, else the page), normalised. A site's
-- front page or feed without a path says nothing about which post was reported, so it makes no key.
CREATE FUNCTION ohr_url_keys(body jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}')
    FROM ohr_items(body) AS i,
         LATERAL ohr_normalise_url(coalesce(i->>'permalink', i->>'canonicalUrl', i->>'url')) AS k
   WHERE k ~ '^[a-z][a-z0-9+.-]*://[^/]+/.' AND k !~ '^[^/]+//[^/]+/(home|feed|explore|notifications)$'
$$ SET search_path FROM CURRENT;

-- "Same author": the normalised profile address, and on a named platform the handle (without @, lower case) and the
-- platform's id. On `other` a bare handle could be anyone's on any site, so only the profile address counts there.
CREATE FUNCTION ohr_author_keys(body jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT k ORDER BY k), '{}')
    FROM ohr_items(body) AS i,
         LATERAL (VALUES (ohr_normalise_url(i->'author'->>'profileUrl')),
                         (CASE WHEN i->>'platform' <> 'other' AND ltrim(i->'author'->>'handle', '@ ') <> ''
                               THEN (i->>'platform') || ':@' || lower(ltrim(i->'author'->>'handle', '@ ')) END),
                         (CASE WHEN i->>'platform' <> 'other' AND i->'author'->>'platformId' <> ''
                               THEN (i->>'platform') || ':id:' || (i->'author'->>'platformId') END)) AS keys (k)
   WHERE k IS NOT NULL
$$ SET search_path FROM CURRENT;

-- "Same evidence": every evidence hash the report refers to (what report_evidence links, here indexable as one array).
CREATE FUNCTION ohr_evidence_hashes(body jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT e->>'sha256' ORDER BY e->>'sha256'), '{}')
    FROM ohr_items(body) AS i, jsonb_array_elements(CASE WHEN jsonb_typeof(i->'evidence') = 'array' THEN i->'evidence' ELSE '[]' END) AS e
$$ SET search_path FROM CURRENT;

-- A secret made once per database when this migration runs (244 bits from gen_random_uuid's strong random source):
-- the key of the contact hashes below, so they cannot be matched against another hub's or looked up in a table of
-- hashed addresses. Written into the function's body because a generated column can only call IMMUTABLE functions.
DO $$
BEGIN
  EXECUTE format('CREATE FUNCTION ohr_contact_key() RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS %L',
                 format('SELECT %L::text', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')));
END
$$;

-- "Same reporter", for flagging repeat targets without showing who: keyed hashes of the email (trimmed, lower case)
-- and of the phone number (digits only).
CREATE FUNCTION ohr_contact_keys(body jsonb) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(encode(sha256(convert_to(ohr_contact_key() || k, 'UTF8')), 'hex') ORDER BY k), '{}')
    FROM (VALUES ('email:' || nullif(lower(btrim(body->'reporter'->>'email')), '')),
                 ('phone:' || nullif(regexp_replace(body->'reporter'->>'phone', '[^0-9]', '', 'g'), ''))) AS keys (k)
   WHERE k IS NOT NULL AND coalesce(body->'reporter'->>'anonymous', 'false') <> 'true'
$$ SET search_path FROM CURRENT;

-- What full-text search reads: the summary, and each item's page title, captured text and author. The `simple`
-- configuration (lower case, no stemming, no stop words), because reports come in many languages, often mixed in one
-- report, and nothing says reliably which: an English stemmer would cut Welsh, Polish or romanised Urdu words into
-- wrong stems and drop English stop words that are words elsewhere. The cost: "threatening" does not find "threat";
-- a moderator types the word as it appears, or uses a prefix search later. Capped at 100,000 characters: a tsvector
-- must stay under 1 MB, and a report at the body limit full of distinct words could pass that and be refused.
CREATE FUNCTION ohr_search(body jsonb) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsvector('simple'::regconfig, left(concat_ws(' ', body->'incident'->>'summary',
           (SELECT string_agg(concat_ws(' ', i->>'pageTitle', i->>'text', i->'author'->>'handle', i->'author'->>'displayName'), ' ')
              FROM ohr_items(body) AS i)), 100000))
$$ SET search_path FROM CURRENT;

ALTER TABLE reports
  ADD COLUMN characteristics text[]   GENERATED ALWAYS AS (ohr_text_array(body->'incident'->'targetedCharacteristics')) STORED,
  ADD COLUMN harm_types      text[]   GENERATED ALWAYS AS (ohr_text_array(body->'incident'->'harmTypes')) STORED,
  ADD COLUMN platforms       text[]   GENERATED ALWAYS AS (ohr_text_array(jsonb_path_query_array(body, '$.items[*].platform'))) STORED,
  ADD COLUMN search          tsvector GENERATED ALWAYS AS (ohr_search(body)) STORED,
  ADD COLUMN url_keys        text[]   GENERATED ALWAYS AS (ohr_url_keys(body)) STORED,
  ADD COLUMN author_keys     text[]   GENERATED ALWAYS AS (ohr_author_keys(body)) STORED,
  ADD COLUMN evidence_hashes text[]   GENERATED ALWAYS AS (ohr_evidence_hashes(body)) STORED,
  ADD COLUMN contact_keys    text[]   GENERATED ALWAYS AS (ohr_contact_keys(body)) STORED,
  -- Set when a report is closed as a duplicate of another (a cluster's bulk action).
  ADD COLUMN duplicate_of    text     NULL REFERENCES reports (reference);

-- Every cluster key of every report, one row each, in a btree: "the first 101 reports with this key" is then an
-- index-only scan of 101 entries however many reports share the key, where a GIN overlap must first collect every
-- match into a bitmap (a prolific account in a million reports cost about 1 ms per queue row that way). Kept by a
-- trigger from the generated key columns, so the intake insert is unchanged; a key is its kind and its value:
-- `u ` same page, `a ` same author, `e ` same evidence, `c ` same reporter contact.
CREATE TABLE report_keys (
  key       text NOT NULL,
  reference text NOT NULL REFERENCES reports (reference) ON DELETE CASCADE,
  PRIMARY KEY (key, reference)
);
CREATE INDEX report_keys_reference_idx ON report_keys (reference);

-- The rows of report_keys for one report (used by the trigger and by a bulk load that fills the table afterwards).
CREATE FUNCTION ohr_report_keys(url_keys text[], author_keys text[], evidence_hashes text[], contact_keys text[])
RETURNS SETOF text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT k FROM (
    SELECT 'u ' || x FROM unnest(url_keys) AS x UNION ALL SELECT 'a ' || x FROM unnest(author_keys) AS x
    UNION ALL SELECT 'e ' || x FROM unnest(evidence_hashes) AS x UNION ALL SELECT 'c ' || x FROM unnest(contact_keys) AS x
  ) AS keys (k)
$$;

CREATE FUNCTION ohr_report_keys_insert() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  INSERT INTO report_keys (key, reference)
  SELECT k, NEW.reference FROM ohr_report_keys(NEW.url_keys, NEW.author_keys, NEW.evidence_hashes, NEW.contact_keys) AS k;
  RETURN NULL;
END
$$;
CREATE TRIGGER report_keys_insert AFTER INSERT ON reports FOR EACH ROW EXECUTE FUNCTION ohr_report_keys_insert();
INSERT INTO report_keys (key, reference)
SELECT k, r.reference FROM reports r, ohr_report_keys(r.url_keys, r.author_keys, r.evidence_hashes, r.contact_keys) AS k;

-- Keyset order is (urgent first, received_at, reference). The queue reads the urgent and the other reports as two
-- ranges, each in (received_at, reference) order, so each filter below is an equality or a range on an index prefix.
DROP INDEX reports_queue_idx;
CREATE INDEX reports_queue_all_idx      ON reports (urgent, received_at, reference);
CREATE INDEX reports_queue_open_idx     ON reports (urgent, received_at, reference) WHERE status <> 'closed';
CREATE INDEX reports_queue_status_idx   ON reports (status, urgent, received_at, reference);
CREATE INDEX reports_queue_assignee_idx ON reports (assigned_to, urgent, received_at, reference);

CREATE INDEX reports_characteristics_idx ON reports USING gin (characteristics);
CREATE INDEX reports_harm_types_idx      ON reports USING gin (harm_types);
CREATE INDEX reports_platforms_idx       ON reports USING gin (platforms);
CREATE INDEX reports_search_idx          ON reports USING gin (search);
CREATE INDEX reports_url_keys_idx        ON reports USING gin (url_keys);
CREATE INDEX reports_author_keys_idx     ON reports USING gin (author_keys);
CREATE INDEX reports_evidence_hashes_idx ON reports USING gin (evidence_hashes);
CREATE INDEX reports_contact_keys_idx    ON reports USING gin (contact_keys);
