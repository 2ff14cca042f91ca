-- A client database made by tongban 0.1.0 before schema 2 (sqlite3 .dump), with one
-- unsent case: tests/unit/test_store.c migrates it and checks nothing is lost.
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE clerk (id TEXT PRIMARY KEY, name TEXT NOT NULL, hall TEXT NOT NULL,  hall_name TEXT NOT NULL, window TEXT NOT NULL, role TEXT NOT NULL,  pwhash TEXT NOT NULL, last_login TEXT NOT NULL);
INSERT INTO clerk VALUES('demo','王小明','H001','示例市政务服务中心','3','clerk','$argon2id$v=19$m=65536,t=2,p=1$hMjywTxKfKrYHa6xasZ33Q$XBuJCKN0S01nM8hW7lOOc9njMI4Ki/5cudDsZ88oBQI','2026-11-26T07:00:23+08:00');
CREATE TABLE session (id INTEGER PRIMARY KEY CHECK (id = 1), clerk_id TEXT NOT NULL,  token TEXT NOT NULL, expires INTEGER NOT NULL);
CREATE TABLE cases (id TEXT PRIMARY KEY, case_no TEXT NOT NULL UNIQUE,  item_code TEXT NOT NULL, item_name TEXT NOT NULL, applicant_name TEXT NOT NULL,  id_number TEXT NOT NULL, phone TEXT NOT NULL, fields TEXT NOT NULL,  state TEXT NOT NULL, clerk_id TEXT NOT NULL, hall TEXT NOT NULL,  window TEXT NOT NULL, last_seq INTEGER NOT NULL, created_at TEXT NOT NULL,  updated_at TEXT NOT NULL);
INSERT INTO cases VALUES('013bc62a-cfdd-4188-ac81-a5d1a036dab5','H001-03-20261126-0001','000101001000','建筑垃圾处置许可','张三丰','11010519491231002X','13800138000','{"name":"张三丰","id_number":"11010519491231002X","phone":"13800138000","address":""}','created','demo','H001','3',1,'2026-11-26T07:00:31+08:00','2026-11-26T07:00:31+08:00');
CREATE TABLE events (uuid TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id),  seq INTEGER NOT NULL, type TEXT NOT NULL, body TEXT NOT NULL,  created_at TEXT NOT NULL, UNIQUE (case_id, seq));
INSERT INTO events VALUES('19cebf78-ae5c-4516-81b3-0f54f6daeb71','013bc62a-cfdd-4188-ac81-a5d1a036dab5',1,'created','{"uuid":"19cebf78-ae5c-4516-81b3-0f54f6daeb71","case_id":"013bc62a-cfdd-4188-ac81-a5d1a036dab5","seq":1,"type":"created","hall":"H001","window":"3","clerk":"demo","client_time":"2026-11-26T07:00:31+08:00","payload":{"case_no":"H001-03-20261126-0001","item_code":"000101001000","item_name":"建筑垃圾处置许可","applicant":{"name":"张三丰","id_number":"11010519491231002X","phone":"13800138000","address":""}}}','2026-11-26T07:00:31+08:00');
CREATE TABLE outbox (pos INTEGER PRIMARY KEY AUTOINCREMENT,  event_uuid TEXT NOT NULL UNIQUE REFERENCES events(uuid), case_id TEXT NOT NULL,  state TEXT NOT NULL CHECK (state IN ('waiting','sending','sent','problem')),  attempts INTEGER NOT NULL DEFAULT 0, reason TEXT NOT NULL DEFAULT '',  updated_at TEXT NOT NULL);
INSERT INTO outbox VALUES(1,'19cebf78-ae5c-4516-81b3-0f54f6daeb71','013bc62a-cfdd-4188-ac81-a5d1a036dab5','waiting',0,'','2026-11-26T07:00:31+08:00');
CREATE TABLE case_seq (day TEXT NOT NULL, hall TEXT NOT NULL, window TEXT NOT NULL,  next INTEGER NOT NULL, PRIMARY KEY (day, hall, window));
INSERT INTO case_seq VALUES('20261126','H001','3',2);
DELETE FROM sqlite_sequence;
INSERT INTO sqlite_sequence VALUES('outbox',1);
CREATE INDEX outbox_state ON outbox (state, pos);
COMMIT;
PRAGMA user_version=1;
