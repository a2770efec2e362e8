-- revision 0005
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
CREATE TABLE device (
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	name VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (uuid)
);
CREATE TABLE app (
	id INTEGER NOT NULL, 
	name VARCHAR NOT NULL, 
	process VARCHAR NOT NULL, 
	exe VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_app_identity UNIQUE (name, process, exe)
);
CREATE TABLE title (
	id INTEGER NOT NULL, 
	digest BIGINT NOT NULL, 
	text VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_title_digest ON title (digest);
CREATE TABLE span (
	start_ms BIGINT NOT NULL, 
	device_id INTEGER NOT NULL, 
	end_ms BIGINT NOT NULL, 
	app_id INTEGER, 
	title_id INTEGER, 
	PRIMARY KEY (start_ms, device_id)
)
 WITHOUT ROWID

;
CREATE TABLE app_hour (
	hour INTEGER NOT NULL, 
	device_id INTEGER NOT NULL, 
	app_id INTEGER NOT NULL, 
	ms BIGINT NOT NULL, 
	PRIMARY KEY (hour, device_id, app_id)
)
 WITHOUT ROWID

;
CREATE TABLE boundary_event (
	id INTEGER NOT NULL, 
	device_id INTEGER NOT NULL, 
	at_ms BIGINT NOT NULL, 
	kind VARCHAR NOT NULL, 
	outcome VARCHAR NOT NULL, 
	subject VARCHAR NOT NULL, 
	detail VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_boundary_event_at ON boundary_event (at_ms);
CREATE TABLE checkin (
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	device_id INTEGER NOT NULL, 
	at_ms BIGINT NOT NULL, 
	mood INTEGER NOT NULL, 
	note VARCHAR NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_checkin_uuid UNIQUE (uuid)
);
CREATE INDEX ix_checkin_at ON checkin (at_ms);
CREATE TABLE sync_pending (
	device_id INTEGER NOT NULL, 
	hour INTEGER NOT NULL, 
	PRIMARY KEY (device_id, hour)
)
 WITHOUT ROWID

;
CREATE TABLE sync_sending (
	device_id INTEGER NOT NULL, 
	hour INTEGER NOT NULL, 
	PRIMARY KEY (device_id, hour)
)
 WITHOUT ROWID

;
CREATE TABLE sync_pulled (
	server VARCHAR NOT NULL, 
	change BIGINT NOT NULL, 
	PRIMARY KEY (server)
);
CREATE TABLE sync_forget_pending (
	start_ms BIGINT NOT NULL, 
	end_ms BIGINT NOT NULL, 
	PRIMARY KEY (start_ms, end_ms)
);
CREATE TABLE sync_clock (
	id INTEGER NOT NULL, 
	change BIGINT NOT NULL, 
	PRIMARY KEY (id)
);
CREATE TABLE sync_hour (
	device_id INTEGER NOT NULL, 
	hour INTEGER NOT NULL, 
	change BIGINT NOT NULL, 
	PRIMARY KEY (device_id, hour)
);
CREATE INDEX ix_sync_hour_change ON sync_hour (change);
CREATE TABLE sync_forgotten (
	change BIGINT NOT NULL, 
	start_ms BIGINT NOT NULL, 
	end_ms BIGINT NOT NULL, 
	PRIMARY KEY (change)
);
CREATE TABLE experiment (
	id INTEGER NOT NULL, 
	uuid VARCHAR(36) NOT NULL, 
	device_id INTEGER NOT NULL, 
	started_ms BIGINT NOT NULL, 
	days INTEGER NOT NULL, 
	kind VARCHAR NOT NULL, 
	subject VARCHAR NOT NULL, 
	value FLOAT NOT NULL, 
	ended_ms BIGINT, 
	PRIMARY KEY (id), 
	CONSTRAINT uq_experiment_uuid UNIQUE (uuid)
);
INSERT INTO "alembic_version" VALUES ('0005');
INSERT INTO "sync_clock" VALUES (1, 0);
