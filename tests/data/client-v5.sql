-- A client database made by tongban 0.1.0 at schema 5 (commit 0207b91, sqlite3 .dump):
-- four cases (accepted, awaiting a supplement, accepted on commitment with a
-- commitment due 2026-12-10, and one an old crash left received with the clerk's
-- draft pointing at it), two events sent, one in problem, four waiting.
-- tests/unit/test_store.c migrates it and checks nothing is lost.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES('changes_cursor','7');
CREATE TABLE clerk (id TEXT PRIMARY KEY, name TEXT NOT NULL, hall TEXT NOT NULL,  hall_name TEXT NOT NULL, window TEXT NOT NULL, role TEXT NOT NULL,  pwhash TEXT NOT NULL, last_login TEXT NOT NULL);
CREATE TABLE session (id INTEGER PRIMARY KEY CHECK (id = 1), clerk_id TEXT NOT NULL,  token TEXT NOT NULL, expires INTEGER NOT NULL);
CREATE TABLE cases (id TEXT PRIMARY KEY, case_no TEXT NOT NULL UNIQUE,  item_code TEXT NOT NULL, item_name TEXT NOT NULL, applicant_name TEXT NOT NULL,  id_number TEXT NOT NULL, phone TEXT NOT NULL, fields TEXT NOT NULL,  state TEXT NOT NULL, clerk_id TEXT NOT NULL, hall TEXT NOT NULL,  window TEXT NOT NULL, last_seq INTEGER NOT NULL, created_at TEXT NOT NULL,  updated_at TEXT NOT NULL, official_no TEXT NOT NULL DEFAULT '');
INSERT INTO cases VALUES('0f7245cb-f7be-4049-be3d-25c3c19b22fa','H001-03-20261202-0001','000101001000','建筑垃圾处置许可','张三丰','11010519491231002X','13800138000','{"name":"张三丰","id_number":"11010519491231002X","phone":"13800138000","kind":"person"}','accepted','demo','H001','3',2,'2026-12-02T05:59:01+08:00','2026-12-02T05:59:01+08:00','');
INSERT INTO cases VALUES('b2e3e07f-f4b5-4e26-8b7c-0189c898bce7','H001-03-20261202-0002','000101001000','建筑垃圾处置许可','李四','11010519491231002X','13800138000','{"name":"李四","kind":"person"}','awaiting_supplement','demo','H001','3',2,'2026-12-02T05:59:01+08:00','2026-12-02T05:59:01+08:00','');
INSERT INTO cases VALUES('36d77cc4-7d52-4356-87c5-965fbed250e4','H001-03-20261202-0003','002005201002','用气报装','王五','11010519491231002X','13800138000','{"name":"王五","kind":"person"}','accepted_commitment','demo','H001','3',2,'2026-12-02T05:59:01+08:00','2026-12-02T05:59:01+08:00','');
INSERT INTO cases VALUES('43d4c41d-abc7-4c0b-a0b0-e64aef2d5580','H001-03-20261202-0004','000101001000','建筑垃圾处置许可','赵六','11010519491231002X','13800138000','{"name":"赵六","kind":"person"}','received','demo','H001','3',1,'2026-12-02T05:59:01+08:00','2026-12-02T05:59:01+08:00','');
CREATE TABLE events (uuid TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id),  seq INTEGER NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL,  created_at TEXT NOT NULL, origin TEXT NOT NULL DEFAULT 'local', UNIQUE (case_id, seq));
INSERT INTO events VALUES('3f9a7a98-e357-4464-a10b-8653c42132c5','0f7245cb-f7be-4049-be3d-25c3c19b22fa',1,'created','{"uuid":"3f9a7a98-e357-4464-a10b-8653c42132c5","case_id":"0f7245cb-f7be-4049-be3d-25c3c19b22fa","seq":1,"type":"created","hall":"H001","window":"3","clerk":"demo","client_time":"2026-12-02T05:59:01+08:00","payload":{"case_no":"H001-03-20261202-0001","item_code":"000101001000","item_name":"建筑垃圾处置许可","applicant":{"name":"张三丰","id_number":"11010519491231002X","phone":"13800138000","kind":"person"}}}','2026-12-02T05:59:01+08:00','local');
INSERT INTO events VALUES('1eaa9a06-73bd-4fe1-847c-b7a9b481bed0','0f7245cb-f7be-4049-be3d-25c3c19b22fa',2,'accepted','{"uuid":"1eaa9a06-73bd-4fe1-847c-b7a9b481bed0","case_id":"0f7245cb-f7be-4049-be3d-25c3c19b22fa","seq":2,"type":"accepted","hall":"H001","window":"3","clerk":"demo","client_time":"2026-12-02T05:59:01+08:00","payload":{"materials":[],"promised_date":"2026-12-04"}}','2026-12-02T05:59:01+08:00','local');
INSERT INTO events VALUES('868e3e16-b926-4748-956e-3273f3ef06fd','b2e3e07f-f4b5-4e26-8b7c-0189c898bce7',1,'created','{"uuid":"868e3e16-b926-4748-956e-3273f3ef06fd","case_id":"b2e3e07f-f4b5-4e26-8b7c-0189c898bce7","seq":1,"type":"created","hall":"H001","window":"3","clerk":"demo","client_time":"2026-12-02T05:59:01+08:00","payload":{"case_no":"H001-03-20261202-0002","item_code":"000101001000","item_name":"建筑垃圾处置许可","applicant":{"name":"李四","kind":"person"}}}','2026-12-02T05:59:01+08:00','local');
INSERT INTO events VALUES('5f6b069c-d915-453d-91d9-ed32a786ec8b','b2e3e07f-f4b5-4e26-8b7c-0189c898bce7',2,'notice_issued','{"uuid":"5f6b069c-d915-453d-91d9-ed32a786ec8b","case_id":"b2e3e07f-f4b5-4e26-8b7c-0189c898bce7","seq":2,"type":"notice_issued","hall":"H001","window":"3","clerk":"demo","client_time":"2026-12-02T05:59:01+08:00","payload":{"materials":[],"supply_by":"2026-12-08","note":""}}','2026-12-02T05:59:01+08:00','local');
INSERT INTO events VALUES('144a873b-4bb9-4407-bdcb-7d00bcb146e1','36d77cc4-7d52-4356-87c5-965fbed250e4',1,'created','{"uuid":"144a873b-4bb9-4407-bdcb-7d00bcb146e1","case_id":"36d77cc4-7d52-4356-87c5-965fbed250e4","seq":1,"type":"created","hall":"H001","window":"3","clerk":"demo","client_time":"2026-12-02T05:59:01+08:00","payload":{"case_no":"H001-03-20261202-0003","item_code":"002005201002","item_name":"用气报装","applicant":{"name":"王五","kind":"person"}}}','2026-12-02T05:59:01+08:00','local');
INSERT INTO events VALUES('05a112d3-e8fa-45d6-9b57-b66e0542674a','36d77cc4-7d52-4356-87c5-965fbed250e4',2,'committed','{"uuid":"05a112d3-e8fa-45d6-9b57-b66e0542674a","case_id":"36d77cc4-7d52-4356-87c5-965fbed250e4","seq":2,"type":"committed","hall":"H001","window":"3","clerk":"demo","client_time":"2026-12-02T05:59:01+08:00","payload":{"materials":[],"commitments":[{"id":"m5","name":"消防安全承诺书","content":"x","due_date":"2026-12-10"}],"promised_date":"2026-12-09"}}','2026-12-02T05:59:01+08:00','local');
INSERT INTO events VALUES('d2aae969-8750-4c60-bc08-5e75989918bb','43d4c41d-abc7-4c0b-a0b0-e64aef2d5580',1,'created','{"uuid":"d2aae969-8750-4c60-bc08-5e75989918bb","case_id":"43d4c41d-abc7-4c0b-a0b0-e64aef2d5580","seq":1,"type":"created","hall":"H001","window":"3","clerk":"demo","client_time":"2026-12-02T05:59:01+08:00","payload":{"case_no":"H001-03-20261202-0004","item_code":"000101001000","item_name":"建筑垃圾处置许可","applicant":{"name":"赵六","kind":"person"}}}','2026-12-02T05:59:01+08:00','local');
CREATE TABLE outbox (pos INTEGER PRIMARY KEY AUTOINCREMENT,  event_uuid TEXT NOT NULL UNIQUE REFERENCES events(uuid), case_id TEXT NOT NULL,  state TEXT NOT NULL CHECK (state IN ('waiting','sending','sent','problem')),  attempts INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '',  updated_at TEXT NOT NULL);
INSERT INTO outbox VALUES(1,'3f9a7a98-e357-4464-a10b-8653c42132c5','0f7245cb-f7be-4049-be3d-25c3c19b22fa','sent',1,'','2026-12-02T05:59:01+08:00');
INSERT INTO outbox VALUES(2,'1eaa9a06-73bd-4fe1-847c-b7a9b481bed0','0f7245cb-f7be-4049-be3d-25c3c19b22fa','sent',1,'','2026-12-02T05:59:01+08:00');
INSERT INTO outbox VALUES(3,'868e3e16-b926-4748-956e-3273f3ef06fd','b2e3e07f-f4b5-4e26-8b7c-0189c898bce7','problem',1,'bad','2026-12-02T05:59:01+08:00');
INSERT INTO outbox VALUES(4,'5f6b069c-d915-453d-91d9-ed32a786ec8b','b2e3e07f-f4b5-4e26-8b7c-0189c898bce7','waiting',0,'','2026-12-02T05:59:01+08:00');
INSERT INTO outbox VALUES(5,'144a873b-4bb9-4407-bdcb-7d00bcb146e1','36d77cc4-7d52-4356-87c5-965fbed250e4','waiting',0,'','2026-12-02T05:59:01+08:00');
INSERT INTO outbox VALUES(6,'05a112d3-e8fa-45d6-9b57-b66e0542674a','36d77cc4-7d52-4356-87c5-965fbed250e4','waiting',0,'','2026-12-02T05:59:01+08:00');
INSERT INTO outbox VALUES(7,'d2aae969-8750-4c60-bc08-5e75989918bb','43d4c41d-abc7-4c0b-a0b0-e64aef2d5580','waiting',0,'','2026-12-02T05:59:01+08:00');
CREATE TABLE case_seq (day TEXT NOT NULL, hall TEXT NOT NULL, window TEXT NOT NULL,  next INTEGER NOT NULL, PRIMARY KEY (day, hall, window));
INSERT INTO case_seq VALUES('20261202','H001','3',5);
CREATE TABLE notices (id INTEGER PRIMARY KEY AUTOINCREMENT,  case_id TEXT NOT NULL REFERENCES cases(id), kind TEXT NOT NULL,  event_uuid TEXT NOT NULL REFERENCES events(uuid), text TEXT NOT NULL,  created_at TEXT NOT NULL);
INSERT INTO notices VALUES(1,'0f7245cb-f7be-4049-be3d-25c3c19b22fa','acceptance','1eaa9a06-73bd-4fe1-847c-b7a9b481bed0','受理通知书 张三丰','2026-12-02T05:59:01+08:00');
INSERT INTO notices VALUES(2,'b2e3e07f-f4b5-4e26-8b7c-0189c898bce7','supplement','5f6b069c-d915-453d-91d9-ed32a786ec8b','补正材料通知书 李四','2026-12-02T05:59:01+08:00');
INSERT INTO notices VALUES(3,'36d77cc4-7d52-4356-87c5-965fbed250e4','commitment','05a112d3-e8fa-45d6-9b57-b66e0542674a','告知承诺书 王五','2026-12-02T05:59:01+08:00');
CREATE TABLE drafts (clerk_id TEXT PRIMARY KEY, body TEXT NOT NULL,  updated_at TEXT NOT NULL);
INSERT INTO drafts VALUES('demo','{"item_code":"000101001000","kind":"person","case_id":"43d4c41d-abc7-4c0b-a0b0-e64aef2d5580","values":{"name":"赵六"},"checklist":[]}','2026-12-02T05:59:01+08:00');
CREATE TABLE orphan_decisions (event_uuid TEXT PRIMARY KEY, case_id TEXT NOT NULL,  case_no TEXT NOT NULL, body TEXT NOT NULL, cursor INTEGER NOT NULL,  received_at TEXT NOT NULL);
CREATE TABLE data_cache (kind TEXT PRIMARY KEY, version TEXT NOT NULL,  body TEXT NOT NULL, fetched_at TEXT NOT NULL);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('outbox',7);
INSERT INTO sqlite_sequence VALUES('notices',3);
CREATE INDEX outbox_state ON outbox (state, pos);
CREATE INDEX notices_case ON notices (case_id, id);
CREATE INDEX outbox_case ON outbox (case_id, state);
PRAGMA user_version=5;
COMMIT;
