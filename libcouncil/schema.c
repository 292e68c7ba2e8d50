/*
 * schema.c - the store's schema: the ordered migrations (storage layer).
 * store.c applies them (council__store_migrate); every table's DDL lives
 * here, and each table is read and written by its owner alone (the
 * Modules table in README.md). Split from store.c (issue 17), which
 * outgrew 1,200 lines.
 */
#include <stddef.h>

#include "schema.h"

/* The ordered schema migrations. Append only: a released entry never
 * changes, so every store reaches the same schema by the same steps. */
static const council__migration migrations[] = {
    { 1,
      "CREATE TABLE council ("
      "  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),"
      "  id BLOB NOT NULL CHECK (length(id) = 16),"
      "  name TEXT NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 256),"
      "  created INTEGER NOT NULL"
      ");" },
    { 2,
      /* Council configuration (later: accepted legal bases, report k). */
      "CREATE TABLE setting ("
      "  key TEXT PRIMARY KEY,"
      "  value BLOB NOT NULL"
      ") WITHOUT ROWID;" },
    { 3,
      /* The audit log: canonical event bytes, with the columns audit_list
       * filters on; perfect subtree hashes of the Merkle tree (level 0:
       * leaf hashes); signed checkpoints. */
      "CREATE TABLE audit_event ("
      "  seq INTEGER PRIMARY KEY CHECK (seq >= 0),"
      "  time INTEGER NOT NULL,"
      "  action INTEGER NOT NULL,"
      "  actor_member BLOB,"
      "  case_ref BLOB,"
      "  body BLOB NOT NULL"
      ");"
      "CREATE INDEX audit_event_time ON audit_event (time);"
      "CREATE INDEX audit_event_case ON audit_event (case_ref) WHERE case_ref IS NOT NULL;"
      "CREATE TABLE audit_node ("
      "  level INTEGER NOT NULL,"
      "  idx INTEGER NOT NULL,"
      "  hash BLOB NOT NULL CHECK (length(hash) = 32),"
      "  PRIMARY KEY (level, idx)"
      ") WITHOUT ROWID;"
      "CREATE TABLE audit_checkpoint ("
      "  size INTEGER PRIMARY KEY,"
      "  time INTEGER NOT NULL,"
      "  note TEXT NOT NULL"
      ");" },
    { 4,
      /* Members. roles: 1 secretariat, 2 coordinating body (at most one
       * active). scopes: the ceiling, sorted codes joined by ','. */
      "CREATE TABLE member ("
      "  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
      "  name TEXT NOT NULL,"
      "  kind INTEGER NOT NULL,"
      "  roles INTEGER NOT NULL,"
      "  scopes TEXT NOT NULL,"
      "  contact TEXT,"
      "  joined INTEGER NOT NULL,"
      "  withdrawn INTEGER,"
      "  withdrawal_reason TEXT,"
      "  box_pk BLOB CHECK (box_pk IS NULL OR length(box_pk) = 32),"
      "  sign_pk BLOB CHECK (sign_pk IS NULL OR length(sign_pk) = 32),"
      "  seq INTEGER NOT NULL UNIQUE,"
      "  updated INTEGER NOT NULL"
      ") WITHOUT ROWID;"
      "CREATE UNIQUE INDEX member_one_coordinator ON member ((roles & 2))"
      "  WHERE (roles & 2) != 0 AND withdrawn IS NULL;" },
    { 5,
      /* Staff and their secrecy pledges: never deleted (Article 18 binds
       * former staff too). */
      "CREATE TABLE staff ("
      "  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
      "  member_id BLOB NOT NULL REFERENCES member (id),"
      "  display_name TEXT NOT NULL,"
      "  role TEXT,"
      "  added INTEGER NOT NULL,"
      "  retired INTEGER,"
      "  retirement_reason TEXT,"
      "  seq INTEGER NOT NULL UNIQUE"
      ") WITHOUT ROWID;"
      "CREATE INDEX staff_member ON staff (member_id);"
      "CREATE TABLE pledge ("
      "  staff_id BLOB NOT NULL REFERENCES staff (id),"
      "  pledged INTEGER NOT NULL,"
      "  text_version TEXT NOT NULL,"
      "  text_sha256 BLOB NOT NULL CHECK (length(text_sha256) = 32),"
      "  witness TEXT,"
      "  seq INTEGER PRIMARY KEY"
      ");"
      "CREATE INDEX pledge_staff ON pledge (staff_id);"
      "CREATE TRIGGER staff_kept BEFORE DELETE ON staff"
      "  BEGIN SELECT RAISE(ABORT, 'staff records are kept'); END;"
      "CREATE TRIGGER pledge_kept BEFORE DELETE ON pledge"
      "  BEGIN SELECT RAISE(ABORT, 'pledges are kept'); END;"
      "CREATE TRIGGER pledge_unchanged BEFORE UPDATE ON pledge"
      "  BEGIN SELECT RAISE(ABORT, 'pledges are kept'); END;" },
    { 6,
      /* Scopes, cases, persons, sections (ciphertext only), data keys and
       * their wrapped copies, shares, blind-index tokens, and secrets the
       * council keeps wrapped (secret: name -> wrapped under a root subkey;
       * member_secret: sealed to a member's box key). */
      "CREATE TABLE scope ("
      "  code TEXT PRIMARY KEY,"
      "  sensitive INTEGER NOT NULL CHECK (sensitive IN (0, 1)),"
      "  builtin INTEGER NOT NULL CHECK (builtin IN (0, 1)),"
      "  added INTEGER NOT NULL"
      ") WITHOUT ROWID;"
      "INSERT INTO scope VALUES ('identity', 0, 1, 0), ('situation', 0, 1, 0),"
      "  ('wishes', 0, 1, 0), ('support_plan', 0, 1, 0), ('support_record', 0, 1, 0),"
      "  ('health', 1, 1, 0), ('finances', 0, 1, 0), ('family', 0, 1, 0),"
      "  ('child', 1, 1, 0), ('justice', 1, 1, 0);"
      "CREATE TABLE case_record ("
      "  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
      "  status INTEGER NOT NULL,"
      "  body INTEGER NOT NULL,"
      "  owner BLOB NOT NULL REFERENCES member (id),"
      "  created INTEGER NOT NULL,"
      "  updated INTEGER NOT NULL,"
      "  erased INTEGER,"
      "  seq INTEGER NOT NULL UNIQUE"
      ") WITHOUT ROWID;"
      "CREATE INDEX case_owner ON case_record (owner);"
      "CREATE TABLE person ("
      "  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
      "  case_id BLOB NOT NULL REFERENCES case_record (id),"
      "  role INTEGER NOT NULL,"
      "  added INTEGER NOT NULL,"
      "  seq INTEGER NOT NULL UNIQUE"
      ") WITHOUT ROWID;"
      "CREATE INDEX person_case ON person (case_id);"
      "CREATE TABLE case_key ("
      "  case_id BLOB NOT NULL,"
      "  scope TEXT NOT NULL REFERENCES scope (code),"
      "  version INTEGER NOT NULL CHECK (version >= 1),"
      "  created INTEGER NOT NULL,"
      "  PRIMARY KEY (case_id, scope, version)"
      ") WITHOUT ROWID;"
      "CREATE TABLE key_wrap ("
      "  case_id BLOB NOT NULL,"
      "  scope TEXT NOT NULL,"
      "  version INTEGER NOT NULL,"
      "  holder BLOB NOT NULL CHECK (length(holder) = 16),"
      "  box_pk BLOB NOT NULL CHECK (length(box_pk) = 32),"
      "  sealed BLOB NOT NULL,"
      "  PRIMARY KEY (case_id, scope, version, holder, box_pk)"
      ") WITHOUT ROWID;"
      "CREATE INDEX key_wrap_holder ON key_wrap (holder);"
      "CREATE TABLE section ("
      "  case_id BLOB NOT NULL,"
      "  person_id BLOB NOT NULL,"
      "  scope TEXT NOT NULL,"
      "  version INTEGER NOT NULL CHECK (version >= 1),"
      "  key_version INTEGER NOT NULL,"
      "  written INTEGER NOT NULL,"
      "  writer_member BLOB,"
      "  writer_staff BLOB,"
      "  nonce BLOB NOT NULL CHECK (length(nonce) = 24),"
      "  ct BLOB NOT NULL,"
      "  PRIMARY KEY (case_id, person_id, scope, version)"
      ") WITHOUT ROWID;"
      "CREATE TABLE case_share ("
      "  seq INTEGER PRIMARY KEY,"
      "  case_id BLOB NOT NULL,"
      "  member_id BLOB NOT NULL REFERENCES member (id),"
      "  scope TEXT NOT NULL REFERENCES scope (code),"
      "  purpose TEXT NOT NULL,"
      "  basis TEXT NOT NULL,"
      "  basis_reason TEXT,"
      "  consent_id BLOB,"
      "  granted INTEGER NOT NULL,"
      "  expires INTEGER,"
      "  granted_by_member BLOB,"
      "  granted_by_staff BLOB,"
      "  revoked INTEGER,"
      "  revoke_reason TEXT,"
      "  meeting_id BLOB,"
      "  purpose_text TEXT,"
      "  second_approver BLOB"
      ");"
      "CREATE INDEX case_share_case ON case_share (case_id, member_id);"
      "CREATE INDEX case_share_member ON case_share (member_id) WHERE revoked IS NULL;"
      "CREATE TABLE blind_index ("
      "  kind INTEGER NOT NULL,"
      "  token INTEGER NOT NULL,"
      "  case_id BLOB NOT NULL,"
      "  person_id BLOB NOT NULL,"
      "  PRIMARY KEY (kind, token, person_id)"
      ") WITHOUT ROWID;"
      "CREATE INDEX blind_index_case ON blind_index (case_id);"
      "CREATE TABLE secret ("
      "  name TEXT NOT NULL,"
      "  wrap_id BLOB NOT NULL CHECK (length(wrap_id) = 16),"
      "  nonce BLOB NOT NULL CHECK (length(nonce) = 24),"
      "  ct BLOB NOT NULL,"
      "  PRIMARY KEY (name, wrap_id)"
      ") WITHOUT ROWID;"
      "CREATE TABLE member_key_sig ("
      "  member_id BLOB PRIMARY KEY CHECK (length(member_id) = 16),"
      "  box_pk BLOB NOT NULL CHECK (length(box_pk) = 32),"
      "  sig BLOB NOT NULL CHECK (length(sig) = 64)"
      ") WITHOUT ROWID;"
      "CREATE TABLE member_secret ("
      "  member_id BLOB NOT NULL,"
      "  name TEXT NOT NULL,"
      "  box_pk BLOB NOT NULL,"
      "  sealed BLOB NOT NULL,"
      "  PRIMARY KEY (member_id, name)"
      ") WITHOUT ROWID;" },
    { 7,
      /* The consent ledger: one row per record of consent or refusal (the
       * record itself a council.v1.ConsentRecord without its status), never
       * changed; withdrawals are added beside. Erasing a case removes its
       * records with it. */
      "CREATE TABLE consent ("
      "  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
      "  case_id BLOB NOT NULL REFERENCES case_record (id),"
      "  subject_person BLOB NOT NULL,"
      "  refusal INTEGER NOT NULL CHECK (refusal IN (0, 1)),"
      "  recorded INTEGER NOT NULL,"
      "  body BLOB NOT NULL,"
      "  seq INTEGER NOT NULL UNIQUE"
      ") WITHOUT ROWID;"
      "CREATE INDEX consent_case ON consent (case_id);"
      "CREATE TABLE consent_withdrawal ("
      "  consent_id BLOB PRIMARY KEY REFERENCES consent (id),"
      "  time INTEGER NOT NULL,"
      "  reason TEXT NOT NULL,"
      "  by_member BLOB,"
      "  by_staff BLOB"
      ") WITHOUT ROWID;"
      "CREATE TRIGGER consent_kept BEFORE UPDATE ON consent"
      "  BEGIN SELECT RAISE(ABORT, 'consent records are never changed'); END;"
      "CREATE TRIGGER consent_withdrawal_kept BEFORE UPDATE ON consent_withdrawal"
      "  BEGIN SELECT RAISE(ABORT, 'withdrawals are never changed'); END;" },
    { 8,
      /* Meetings: a body, a window, attendees, agenda items (a case's
       * scopes disclosed to an attendee, as shares tagged with the
       * meeting). */
      "CREATE TABLE meeting ("
      "  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
      "  body INTEGER NOT NULL,"
      "  starts INTEGER NOT NULL,"
      "  ends INTEGER NOT NULL,"
      "  created INTEGER NOT NULL,"
      "  closed INTEGER,"
      "  seq INTEGER NOT NULL UNIQUE"
      ") WITHOUT ROWID;"
      "CREATE TABLE meeting_attendee ("
      "  meeting_id BLOB NOT NULL REFERENCES meeting (id),"
      "  member_id BLOB NOT NULL REFERENCES member (id),"
      "  PRIMARY KEY (meeting_id, member_id)"
      ") WITHOUT ROWID;"
      "CREATE TABLE meeting_item ("
      "  meeting_id BLOB NOT NULL REFERENCES meeting (id),"
      "  case_id BLOB NOT NULL,"
      "  attendee BLOB NOT NULL,"
      "  scope TEXT NOT NULL,"
      "  basis TEXT NOT NULL,"
      "  PRIMARY KEY (meeting_id, case_id, attendee, scope)"
      ") WITHOUT ROWID;" },
    { 9,
      /* Holder tags: each wrapped data key carries a MAC under the data key
       * itself over its place and holder (casekey.c), so only a session
       * that holds the key can add a holder, and rotations follow only
       * tagged holders. Rows from before have none until the secretariat's
       * first session tags them. */
      "ALTER TABLE key_wrap ADD COLUMN tag BLOB CHECK (tag IS NULL OR length(tag) = 32);"
      /* Key versions: the creator's signature (the council or the
       * owner); a case's owner proof (the id commits to it);
       * the member's signing key in the key directory. */
      "ALTER TABLE case_key ADD COLUMN signer BLOB;"
      "ALTER TABLE case_key ADD COLUMN sig BLOB;"
      "ALTER TABLE case_record ADD COLUMN owner_proof BLOB;"
      "ALTER TABLE member_key_sig ADD COLUMN sign_pk BLOB;"
      "ALTER TABLE member_key_sig ADD COLUMN sign_sig BLOB;"
      /* The secretariat's signature over each register, staff and pledge
       * row, meeting and agenda item, and the policy (signer: the council);
       * the recording session's over consent records, withdrawals and
       * shares (signer: the council or a member). */
      "ALTER TABLE member ADD COLUMN sig BLOB;"
      "ALTER TABLE staff ADD COLUMN sig BLOB;"
      "ALTER TABLE pledge ADD COLUMN sig BLOB;"
      "ALTER TABLE meeting ADD COLUMN sig BLOB;"
      "ALTER TABLE meeting_item ADD COLUMN sig BLOB;"
      /* A consent grants only while its grant, signed by whoever recorded
       * it (the secretariat or the owner), is there: a withdrawal removes
       * the grant, so deleting the withdrawal brings nothing back. */
      "CREATE TABLE consent_grant ("
      "  consent_id BLOB PRIMARY KEY REFERENCES consent (id),"
      "  signer BLOB NOT NULL CHECK (length(signer) = 16),"
      "  sig BLOB NOT NULL CHECK (length(sig) = 64)"
      ") WITHOUT ROWID;"
      "ALTER TABLE case_share ADD COLUMN signer BLOB;"
      "ALTER TABLE case_share ADD COLUMN sig BLOB;" },
    { 10,
      /* Each use of the council passphrase (root) with its written reason,
       * beside its "session opened" event (seq), which carries the code. */
      "CREATE TABLE root_use ("
      "  seq INTEGER PRIMARY KEY,"
      "  reason TEXT NOT NULL,"
      "  note TEXT NOT NULL"
      ");" },
    { 11,
      /* Sealed memos (memo.c): the free text of the council's work (a
       * referral's note, an opinion, minutes, decisions), each under a key
       * of its own sealed to its readers; signed by its writer. */
      "CREATE TABLE memo ("
      "  id BLOB NOT NULL UNIQUE CHECK (length(id) = 16),"
      "  kind TEXT NOT NULL,"
      "  object_id BLOB NOT NULL,"
      "  case_id BLOB,"
      "  created INTEGER NOT NULL,"
      "  nonce BLOB NOT NULL,"
      "  ct BLOB NOT NULL,"
      "  signer BLOB NOT NULL,"
      "  sig BLOB NOT NULL"
      ");"
      "CREATE INDEX memo_case ON memo (case_id) WHERE case_id IS NOT NULL;"
      "CREATE TABLE memo_wrap ("
      "  memo_id BLOB NOT NULL,"
      "  holder BLOB NOT NULL,"
      "  box_pk BLOB NOT NULL,"
      "  sealed BLOB NOT NULL,"
      "  tag BLOB NOT NULL,"
      "  PRIMARY KEY (memo_id, holder, box_pk)"
      ") WITHOUT ROWID;"
      "CREATE INDEX memo_wrap_holder ON memo_wrap (holder);" },
    { 12,
      /* Referrals (referral.c): the offer, signed by its proposer; each
       * step (proposed, accepted, declined, withdrawn, completed, ended)
       * signed by whoever took it; the scopes its share gave, signed by the
       * session that shared them. */
      "CREATE TABLE referral ("
      "  id BLOB NOT NULL UNIQUE CHECK (length(id) = 16),"
      "  case_id BLOB NOT NULL,"
      "  person_id BLOB,"
      "  from_member BLOB NOT NULL,"
      "  to_member BLOB NOT NULL,"
      "  scopes TEXT NOT NULL,"
      "  purpose TEXT NOT NULL,"
      "  basis TEXT NOT NULL,"
      "  consent_id BLOB,"
      "  reason TEXT,"
      "  decision_id BLOB,"
      "  note_memo BLOB,"
      "  created INTEGER NOT NULL,"
      "  signer BLOB NOT NULL,"
      "  sig BLOB NOT NULL,"
      "  shared TEXT NOT NULL DEFAULT '',"
      "  shared_signer BLOB,"
      "  shared_sig BLOB"
      ");"
      "CREATE INDEX referral_case ON referral (case_id);"
      "CREATE TABLE referral_step ("
      "  referral_id BLOB NOT NULL,"
      "  seq INTEGER NOT NULL,"
      "  state INTEGER NOT NULL,"
      "  at INTEGER NOT NULL,"
      "  by_staff BLOB,"
      "  reason_code TEXT,"
      "  reason_memo BLOB,"
      "  signer BLOB NOT NULL,"
      "  sig BLOB NOT NULL,"
      "  PRIMARY KEY (referral_id, seq)"
      ") WITHOUT ROWID;" },
    { 13,
      /* Cooperation requests (request.c, Art. 16(3)): what the council
       * asks a member, signed by the council side (signer, sig), and the
       * request's end, signed by whoever ended it (state_signer,
       * state_sig). The texts are memos: only their ids are here. */
      "CREATE TABLE cooperation_request ("
      "  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
      "  case_id BLOB NOT NULL,"
      "  member BLOB NOT NULL,"
      "  council_member BLOB NOT NULL,"
      "  kinds INTEGER NOT NULL,"
      "  scopes TEXT NOT NULL,"
      "  basis TEXT NOT NULL,"
      "  consent_id BLOB,"
      "  text_memo BLOB NOT NULL,"
      "  due INTEGER NOT NULL,"
      "  made INTEGER NOT NULL,"
      "  made_by BLOB NOT NULL,"
      "  signer BLOB NOT NULL,"
      "  sig BLOB NOT NULL,"
      "  state INTEGER NOT NULL,"
      "  state_at INTEGER,"
      "  state_by_member BLOB,"
      "  state_by_staff BLOB,"
      "  reason TEXT,"
      "  answer_memo BLOB,"
      "  reason_memo BLOB,"
      "  provided TEXT,"
      "  state_signer BLOB,"
      "  state_sig BLOB"
      ") WITHOUT ROWID;"
      "CREATE INDEX cooperation_request_case ON cooperation_request (case_id);"
      "CREATE INDEX cooperation_request_made ON cooperation_request (made);" },
    { 14,
      /* Who supports whom (task.c): a case's lead member, workers (staff
       * ids back to back) and next review, signed by the secretariat or
       * the owner; support tasks, their fields signed by the secretariat
       * or the owner, their state by those or the member responsible.
       * The text is a sealed memo (kind task_text). */
      "CREATE TABLE case_assign ("
      "  case_id BLOB PRIMARY KEY CHECK (length(case_id) = 16),"
      "  lead BLOB NOT NULL,"
      "  workers BLOB NOT NULL,"
      "  review INTEGER NOT NULL,"
      "  updated INTEGER NOT NULL,"
      "  signer BLOB NOT NULL,"
      "  sig BLOB NOT NULL"
      ") WITHOUT ROWID;"
      "CREATE TABLE task ("
      "  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
      "  case_id BLOB NOT NULL,"
      "  member BLOB NOT NULL,"
      "  staff BLOB,"
      "  memo_id BLOB NOT NULL,"
      "  due INTEGER NOT NULL,"
      "  decision_id BLOB,"
      "  created INTEGER NOT NULL,"
      "  signer BLOB NOT NULL,"
      "  sig BLOB NOT NULL,"
      "  state INTEGER NOT NULL,"
      "  updated INTEGER NOT NULL,"
      "  state_signer BLOB NOT NULL,"
      "  state_sig BLOB NOT NULL,"
      "  seq INTEGER NOT NULL UNIQUE"
      ") WITHOUT ROWID;"
      "CREATE INDEX task_case ON task (case_id);"
      "CREATE INDEX task_member ON task (member);" },
    { 15,
      /* Meetings that decide (meeting.c): time slots of a meeting held as
       * more than one body, the body each agenda item is discussed under,
       * the minutes and the decisions (their text a sealed memo; each row
       * signed by the secretariat). */
      "CREATE TABLE meeting_slot ("
      "  meeting_id BLOB NOT NULL REFERENCES meeting (id),"
      "  body INTEGER NOT NULL,"
      "  starts INTEGER NOT NULL,"
      "  ends INTEGER NOT NULL,"
      "  PRIMARY KEY (meeting_id, starts)"
      ") WITHOUT ROWID;"
      "ALTER TABLE meeting_item ADD COLUMN body INTEGER;"
      "CREATE TABLE meeting_minutes ("
      "  meeting_id BLOB PRIMARY KEY REFERENCES meeting (id),"
      "  memo_id BLOB NOT NULL,"
      "  recorded INTEGER NOT NULL,"
      "  sig BLOB"
      ") WITHOUT ROWID;"
      "CREATE TABLE meeting_decision ("
      "  id BLOB PRIMARY KEY CHECK (length(id) = 16),"
      "  meeting_id BLOB NOT NULL REFERENCES meeting (id),"
      "  case_id BLOB,"
      "  memo_id BLOB NOT NULL,"
      "  recorded INTEGER NOT NULL,"
      "  sig BLOB"
      ") WITHOUT ROWID;"
      "CREATE INDEX meeting_decision_meeting ON meeting_decision (meeting_id);" },
    { 16,
      /* Cases that move (case_db.c): each transfer of a case's ownership,
       * signed by the council's log key, in order from the owner its id
       * commits to; and persons of anonymous intake and merged persons
       * (the merge signed by whoever merged). */
      "CREATE TABLE case_transfer ("
      "  case_id BLOB NOT NULL,"
      "  seq INTEGER NOT NULL,"
      "  from_member BLOB NOT NULL,"
      "  to_member BLOB NOT NULL,"
      "  at INTEGER NOT NULL,"
      "  reason TEXT NOT NULL,"
      "  signer BLOB,"
      "  sig BLOB,"
      "  PRIMARY KEY (case_id, seq)"
      ") WITHOUT ROWID;"
      "ALTER TABLE person ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;"
      "ALTER TABLE person ADD COLUMN merged_into BLOB;"
      "ALTER TABLE person ADD COLUMN merged_at INTEGER;"
      "ALTER TABLE person ADD COLUMN signer BLOB;"
      "ALTER TABLE person ADD COLUMN sig BLOB;" },
    { 17,
      /* A member node's own tables (node.c): the items it imported, each
       * sealed under a key of its own wrapped by the node's key; the
       * bundles seen (replay); the council checkpoint last seen; where
       * answers go. Empty in a council's store. */
      "CREATE TABLE node_item ("
      "  id BLOB PRIMARY KEY,"
      "  kind TEXT NOT NULL,"
      "  case_id BLOB,"
      "  person_id BLOB,"
      "  object_id BLOB,"
      "  scopes TEXT NOT NULL,"
      "  bundle_hash BLOB NOT NULL,"
      "  imported INTEGER NOT NULL,"
      "  expires INTEGER NOT NULL,"
      "  wrapped_key BLOB NOT NULL,"
      "  nonce BLOB NOT NULL,"
      "  ct BLOB NOT NULL"
      ") WITHOUT ROWID;"
      "CREATE INDEX node_item_case ON node_item (case_id);"
      "CREATE INDEX node_item_object ON node_item (object_id);"
      "CREATE TABLE node_seen ("
      "  hash BLOB PRIMARY KEY,"
      "  nonce BLOB NOT NULL UNIQUE,"
      "  seen INTEGER NOT NULL"
      ") WITHOUT ROWID;"
      "CREATE TABLE node_checkpoint ("
      "  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),"
      "  size INTEGER NOT NULL,"
      "  note TEXT NOT NULL,"
      "  seen INTEGER NOT NULL"
      ");"
      "CREATE TABLE node_state ("
      "  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),"
      "  reply_key BLOB NOT NULL,"
      "  reply_created INTEGER NOT NULL"
      ");" },
    { 18,
      /* What each bundle the council exported carried to a member (bundle.c):
       * a case's scope, a consent, a referral or a meeting (kind: the
       * RevocationItem kind), the bundle's hash and expiry, and when a
       * revocation bundle listed it; each row signed by the log key. */
      "CREATE TABLE bundle_sent ("
      "  seq INTEGER PRIMARY KEY,"
      "  member_id BLOB NOT NULL CHECK (length(member_id) = 16),"
      "  kind INTEGER NOT NULL,"
      "  case_id BLOB,"
      "  scope TEXT,"
      "  object_id BLOB,"
      "  bundle_hash BLOB NOT NULL,"
      "  sent INTEGER NOT NULL,"
      "  expires INTEGER NOT NULL,"
      "  revoked INTEGER,"
      "  revoked_hash BLOB,"
      "  signer BLOB,"
      "  sig BLOB"
      ");"
      "CREATE INDEX bundle_sent_member ON bundle_sent (member_id, revoked);" },
    { 19,
      /* Bundles imported into the council's store (bundle_import.c): each
       * bundle's nonce and hash, so that a replay is refused (issue 15). */
      "CREATE TABLE bundle_seen ("
      "  nonce BLOB PRIMARY KEY CHECK (length(nonce) = 16),"
      "  hash BLOB NOT NULL UNIQUE CHECK (length(hash) = 32),"
      "  type INTEGER NOT NULL,"
      "  sender BLOB NOT NULL,"
      "  imported INTEGER NOT NULL,"
      "  expires INTEGER NOT NULL"
      ") WITHOUT ROWID;" },
    { 20,
      /* What a member node's revocations named (node_import.c), with the
       * revocation bundle's creation time: a bundle made before it cannot
       * bring the content back. Empty in a council's store. */
      "CREATE TABLE node_revoked ("
      "  kind TEXT NOT NULL CHECK (kind IN ('case', 'share', 'object')),"
      "  case_id BLOB,"
      "  scope TEXT NOT NULL DEFAULT '',"
      "  object_id BLOB,"
      "  created INTEGER NOT NULL"
      ");"
      "CREATE INDEX node_revoked_case ON node_revoked (case_id) WHERE case_id IS NOT NULL;"
      "CREATE INDEX node_revoked_object ON node_revoked (object_id) WHERE object_id IS NOT NULL;"
      /* Each item's bundle's creation time: a revocation deletes only what
       * came in bundles made no later than it (a newer share's stays). */
      "ALTER TABLE node_item ADD COLUMN created INTEGER NOT NULL DEFAULT 0;" },
    { 21,
      /* A case's status as its setter signed it (case_db.c; issue 16):
       * retention erases a case only on a closing signed by the case's
       * owner or the secretariat, never on the status column or a log
       * event the insider wrote. */
      "CREATE TABLE case_status_sig ("
      "  case_id BLOB PRIMARY KEY NOT NULL,"
      "  status INTEGER NOT NULL,"
      "  since INTEGER NOT NULL,"
      "  signer BLOB NOT NULL,"
      "  sig BLOB NOT NULL"
      ") WITHOUT ROWID;" },
    { 22,
      /* Sections in a rowid table (issue 17): a section's ciphertext (about
       * 1.4 KB) spilled out of the WITHOUT ROWID table's b-tree cells (a
       * local payload limit near 1 KB) onto an overflow page of its own;
       * a rowid table keeps it in its leaf. The key stays unique. */
      "CREATE TABLE section_rowid ("
      "  id INTEGER PRIMARY KEY,"
      "  case_id BLOB NOT NULL,"
      "  person_id BLOB NOT NULL,"
      "  scope TEXT NOT NULL,"
      "  version INTEGER NOT NULL CHECK (version >= 1),"
      "  key_version INTEGER NOT NULL,"
      "  written INTEGER NOT NULL,"
      "  writer_member BLOB,"
      "  writer_staff BLOB,"
      "  nonce BLOB NOT NULL CHECK (length(nonce) = 24),"
      "  ct BLOB NOT NULL"
      ");"
      "INSERT INTO section_rowid (case_id, person_id, scope, version, key_version, written,"
      "  writer_member, writer_staff, nonce, ct)"
      "  SELECT case_id, person_id, scope, version, key_version, written, writer_member,"
      "  writer_staff, nonce, ct FROM section ORDER BY case_id, person_id, scope, version;"
      "DROP TABLE section;"
      "ALTER TABLE section_rowid RENAME TO section;"
      "CREATE UNIQUE INDEX section_key ON section (case_id, person_id, scope, version);" },
    /* ---- issue 17, durable (log.c): fewer pages written per audit event */
    { 23,
      /* No query can use audit_event_time: the one that filters on time
       * (audit_list) reads "?2 = 0 OR time >= ?2" by seq. The tree's nodes
       * keyed by where they were made: k = ((idx + 1) << level) * 64 +
       * level, so that every node an append makes (the same
       * (idx + 1) << level, the log's new size) lands on the table's last
       * page instead of one page per level. The nodes stored before stay
       * where they are, in audit_node_v22 (log.c reads both): no row is
       * rewritten, so a large log migrates at once. */
      "DROP INDEX IF EXISTS audit_event_time;"
      "ALTER TABLE audit_node RENAME TO audit_node_v22;"
      /* (The renamed table, as migration 3 made it: a no-op that states
       * its layout here, where the schema's tables are declared.) */
      "CREATE TABLE IF NOT EXISTS audit_node_v22 ("
      "  level INTEGER NOT NULL,"
      "  idx INTEGER NOT NULL,"
      "  hash BLOB NOT NULL CHECK (length(hash) = 32),"
      "  PRIMARY KEY (level, idx)"
      ") WITHOUT ROWID;"
      "CREATE TABLE audit_node ("
      "  k INTEGER PRIMARY KEY,"
      "  level INTEGER NOT NULL,"
      "  idx INTEGER NOT NULL,"
      "  hash BLOB NOT NULL CHECK (length(hash) = 32)"
      ");" },
};

static const size_t n_migrations = sizeof migrations / sizeof migrations[0];

uint32_t council__schema_version(void)
{
    return migrations[n_migrations - 1].version;
}

const council__migration *council__schema_list(size_t *n)
{
    *n = n_migrations;
    return migrations;
}

const council__migration *council__schema_migration(uint32_t version)
{
    for (size_t i = 0; i < n_migrations; i++)
        if (migrations[i].version == version)
            return &migrations[i];
    return NULL;
}
