/*
 * gen_section_corpus.c - write the seed inputs of fuzz/fuzz_section.c.
 *
 * Not part of the build; see fuzz/README.md. Usage:
 *     gen_section_corpus DIRECTORY
 *
 * Each seed is one byte choosing the scope (an index into the harness's
 * list: 0 identity, 1 situation, 2 wishes, 3 support_plan, 4
 * support_record, 5 health, 6 finances, 7 family, 8 child, 9 justice, 10
 * "Bad-Scope") followed by the section bytes. Nothing random is drawn, so
 * a rerun writes the same bytes. Before writing a seed, the generator runs
 * council__section_check on it exactly as the harness does and stops if
 * the code is not the one expected. Nothing here is secret.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "council.h"
#include "council/v1/case.pb-c.h"
#include "council_int.h"
#include "section.h"

/* The harness's scope list: keep in step with fuzz_section.c. */
static const char *const scopes[] = {
    "identity", "situation", "wishes", "support_plan", "support_record",
    "health", "finances", "family", "child", "justice",
    "Bad-Scope",
};
enum {
    S_IDENTITY, S_SITUATION, S_WISHES, S_SUPPORT_PLAN, S_SUPPORT_RECORD,
    S_HEALTH, S_FINANCES, S_FAMILY, S_CHILD, S_JUSTICE, S_BAD,
};

#define SEED_MAX 8192

static const char *outdir;
static unsigned written;

static void die(const char *what, int rc)
{
    fprintf(stderr, "gen_section_corpus: %s failed (%d)\n", what, rc);
    exit(1);
}

static const char *code_name(int rc)
{
    switch (rc) {
    case COUNCIL_OK:      return "OK";
    case COUNCIL_EFORMAT: return "EFORMAT";
    case COUNCIL_ELIMIT:  return "ELIMIT";
    case COUNCIL_EINVAL:  return "EINVAL";
    case COUNCIL_ENOMEM:  return "ENOMEM";
    default:              return "?";
    }
}

/* Check raw section bytes for a scope; write them as a seed if `name`. */
static void emit_raw(const char *name, unsigned scope, const uint8_t *sec, size_t n, int expect)
{
    char path[4096];
    uint8_t seed[SEED_MAX + 1];
    FILE *f;
    int rc;

    if (n > SEED_MAX)
        die(name, 0);
    rc = council__section_check(NULL, scopes[scope], sec, n);
    printf("%-36s %-15s %5zu bytes  %-7s (expected %s)\n", name, scopes[scope], n,
           code_name(rc), code_name(expect));
    if (rc != expect)
        die(name, rc);
    seed[0] = (uint8_t)scope;
    if (n > 0)
        memcpy(seed + 1, sec, n);
    if ((size_t)snprintf(path, sizeof path, "%s/%s", outdir, name) >= sizeof path)
        die("path length", 0);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(seed, 1, n + 1, f) != n + 1 || fclose(f) != 0)
        die(path, 0);
    written++;
}

static size_t pack(const Council__V1__Section *s, uint8_t *out)
{
    size_t n = council__v1__section__get_packed_size(s);

    if (n > SEED_MAX)
        die("pack", 0);
    return council__v1__section__pack(s, out);
}

static void emit(const char *name, unsigned scope, const Council__V1__Section *s, int expect)
{
    uint8_t buf[SEED_MAX];
    size_t n = pack(s, buf);

    emit_raw(name, scope, buf, n, expect);
}

/* ---------------------------------------------------------------- content */

static const uint8_t member_a[COUNCIL_ID_BYTES] = {
    0x5f, 0x1c, 0x8e, 0x02, 0x3a, 0x77, 0x4b, 0x10, 0x9d, 0x21, 0x6e, 0x40, 0xc3, 0x58, 0x0b, 0x91,
};
static const uint8_t member_b[COUNCIL_ID_BYTES] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
};

static Council__V1__Identity identity;
static Council__V1__Wishes wishes;
static char *wants[] = { "週に一度は誰かと話したい", "畑仕事を続けたい\n春と秋だけでも" };
static char *does_not_want[] = { "施設への入所", "大勢の集まり" };
static Council__V1__Task task_open, task_done, task_cancelled;
static Council__V1__Task *tasks[3] = { &task_open, &task_done, &task_cancelled };
static Council__V1__SupportPlan plan;
static Council__V1__RecordEntry entry1, entry2;
static Council__V1__RecordEntry *entries[2] = { &entry1, &entry2 };
static Council__V1__SupportRecord record;

static void build_content(void)
{
    identity = (Council__V1__Identity)COUNCIL__V1__IDENTITY__INIT;
    identity.name = "山田 花子";
    identity.name_kana = "ヤマダ ハナコ";
    identity.birth_date = "1948-02-29"; /* a leap year */
    identity.address = "北市中央1-2-3 ひまわり荘 203";
    identity.phone = "000-0000-0000";
    identity.contact_note = "午前中は通院が多い。\n電話は夕方17時以降に。\t留守電可";

    wishes = (Council__V1__Wishes)COUNCIL__V1__WISHES__INIT;
    wishes.n_wants = 2;
    wishes.wants = wants;
    wishes.n_does_not_want = 2;
    wishes.does_not_want = does_not_want;

    task_open = (Council__V1__Task)COUNCIL__V1__TASK__INIT;
    task_open.title = "見守り訪問の日程調整";
    task_open.has_responsible_member = 1;
    task_open.responsible_member.len = COUNCIL_ID_BYTES;
    task_open.responsible_member.data = (uint8_t *)(uintptr_t)member_a;
    task_open.due = "2025-12-01";
    task_open.state = COUNCIL__V1__TASK_STATE__TASK_STATE_OPEN;
    task_done = (Council__V1__Task)COUNCIL__V1__TASK__INIT;
    task_done.title = "Apply for the meal delivery service";
    task_done.has_responsible_member = 1;
    task_done.responsible_member.len = COUNCIL_ID_BYTES;
    task_done.responsible_member.data = (uint8_t *)(uintptr_t)member_b;
    task_done.due = "2024-02-29";
    task_done.state = COUNCIL__V1__TASK_STATE__TASK_STATE_DONE;
    task_cancelled = (Council__V1__Task)COUNCIL__V1__TASK__INIT;
    task_cancelled.title = "家計相談の予約";
    task_cancelled.state = COUNCIL__V1__TASK_STATE__TASK_STATE_CANCELLED;
    plan = (Council__V1__SupportPlan)COUNCIL__V1__SUPPORT_PLAN__INIT;
    plan.n_tasks = 3;
    plan.tasks = tasks;

    entry1 = (Council__V1__RecordEntry)COUNCIL__V1__RECORD_ENTRY__INIT;
    entry1.date = "2025-11-20";
    entry1.has_member = 1;
    entry1.member.len = COUNCIL_ID_BYTES;
    entry1.member.data = (uint8_t *)(uintptr_t)member_a;
    entry1.text = "自宅訪問。体調は安定。\n来週、民生委員と同行予定。";
    entry2 = (Council__V1__RecordEntry)COUNCIL__V1__RECORD_ENTRY__INIT;
    entry2.date = "2000-01-01";
    entry2.text = "Phone call from the neighbour; no answer at the door.";
    record = (Council__V1__SupportRecord)COUNCIL__V1__SUPPORT_RECORD__INIT;
    record.n_entries = 2;
    record.entries = entries;
}

static Council__V1__Section section(void)
{
    return (Council__V1__Section)COUNCIL__V1__SECTION__INIT;
}

/* ------------------------------------------------------------------- main */

int main(int argc, char **argv)
{
    Council__V1__Section s;
    Council__V1__Identity id2;
    Council__V1__Task t2, *one_task[1] = { &t2 };
    Council__V1__SupportPlan plan2;
    ProtobufCMessageUnknownField uf;
    uint8_t one = 1, buf[SEED_MAX], *big;
    size_t n;

    if (argc != 2) {
        fprintf(stderr, "usage: %s DIRECTORY\n", argv[0]);
        return 2;
    }
    outdir = argv[1];
    if (council_global_init() != COUNCIL_OK)
        die("council_global_init", -1);
    build_content();

    /* ------------------------------------------------ valid: OK */
    s = section();
    s.identity = &identity;
    s.text = "本人の希望により、呼び名は「はなさん」。";
    emit("valid-identity-ja", S_IDENTITY, &s, COUNCIL_OK);

    id2 = (Council__V1__Identity)COUNCIL__V1__IDENTITY__INIT;
    id2.name = "Jane Doe";
    s = section();
    s.identity = &id2;
    emit("valid-identity-name-only", S_IDENTITY, &s, COUNCIL_OK);

    s = section();
    s.text = "一人暮らし。\n近所付き合いは少ない。\n\n\t最近、外出が減った。";
    emit("valid-situation-text-newlines", S_SITUATION, &s, COUNCIL_OK);

    s = section();
    s.wishes = &wishes;
    s.text = "本人の言葉のまま記録。";
    emit("valid-wishes", S_WISHES, &s, COUNCIL_OK);

    {
        Council__V1__Wishes empty = COUNCIL__V1__WISHES__INIT;
        s = section();
        s.wishes = &empty;
        emit("valid-wishes-empty", S_WISHES, &s, COUNCIL_OK);
    }

    s = section();
    s.support_plan = &plan;
    emit("valid-support-plan", S_SUPPORT_PLAN, &s, COUNCIL_OK);

    s = section();
    s.support_record = &record;
    s.text = "記録の要約";
    emit("valid-support-record", S_SUPPORT_RECORD, &s, COUNCIL_OK);

    s = section();
    s.text = "通院：月2回（内科）。服薬管理に不安あり。";
    emit("valid-health-text", S_HEALTH, &s, COUNCIL_OK);
    s.text = "年金収入のみ。\n家賃の滞納が2か月。";
    emit("valid-finances-text", S_FINANCES, &s, COUNCIL_OK);
    s.text = "長男（県外）とは年に一度連絡。";
    emit("valid-family-text", S_FAMILY, &s, COUNCIL_OK);
    s.text = "Child attends the local primary school.";
    emit("valid-child-text", S_CHILD, &s, COUNCIL_OK);
    s.text = "\n";
    emit("valid-justice-newline-only", S_JUSTICE, &s, COUNCIL_OK);

    /* A NUL inside a string: protobuf-c keeps the bytes, the check sees
     * only what precedes the NUL (so OK), and packing again drops the
     * rest. */
    {
        static const uint8_t nul_text[] = { 0x0a, 0x07, 'a', 'b', 'c', 0x00, 0x07, 'd', 'e' };
        emit_raw("bad-text-embedded-nul", S_SITUATION, nul_text, sizeof nul_text, COUNCIL_EFORMAT);
    }

    /* ------------------------------------------------ bad scope: EINVAL */
    s = section();
    s.identity = &identity;
    emit("einval-bad-scope", S_BAD, &s, COUNCIL_EINVAL);

    /* ------------------------------------------------ malformed: EFORMAT */
    s = section();
    s.identity = &identity;
    emit("bad-identity-in-health", S_HEALTH, &s, COUNCIL_EFORMAT);
    s = section();
    s.wishes = &wishes;
    emit("bad-wishes-in-support-plan", S_SUPPORT_PLAN, &s, COUNCIL_EFORMAT);
    s = section();
    s.support_plan = &plan;
    emit("bad-support-plan-in-support-record", S_SUPPORT_RECORD, &s, COUNCIL_EFORMAT);
    s = section();
    s.support_record = &record;
    emit("bad-support-record-in-identity", S_IDENTITY, &s, COUNCIL_EFORMAT);
    s = section();
    s.text = "名前だけの記録";
    emit("bad-identity-without-identity", S_IDENTITY, &s, COUNCIL_EFORMAT);

    s = section();
    s.identity = &id2;
    id2.birth_date = "2023-02-29";
    emit("bad-date-2023-02-29", S_IDENTITY, &s, COUNCIL_EFORMAT);
    id2.birth_date = "1900-02-29"; /* not a leap year */
    emit("bad-date-1900-02-29", S_IDENTITY, &s, COUNCIL_EFORMAT);
    id2.birth_date = NULL;

    t2 = task_open;
    plan2 = (Council__V1__SupportPlan)COUNCIL__V1__SUPPORT_PLAN__INIT;
    plan2.n_tasks = 1;
    plan2.tasks = one_task;
    s = section();
    s.support_plan = &plan2;
    t2.due = "2024-13-01";
    emit("bad-date-2024-13-01", S_SUPPORT_PLAN, &s, COUNCIL_EFORMAT);
    t2.due = task_open.due;
    t2.responsible_member.len = COUNCIL_ID_BYTES - 1;
    emit("bad-member-id-15-bytes", S_SUPPORT_PLAN, &s, COUNCIL_EFORMAT);
    t2.responsible_member.len = COUNCIL_ID_BYTES;
    t2.state = COUNCIL__V1__TASK_STATE__TASK_STATE_UNKNOWN;
    emit("bad-task-state-unknown", S_SUPPORT_PLAN, &s, COUNCIL_EFORMAT);
    t2.state = (Council__V1__TaskState)7;
    emit("bad-task-state-7", S_SUPPORT_PLAN, &s, COUNCIL_EFORMAT);
    t2.state = task_open.state;
    t2.base.n_unknown_fields = 1;
    t2.base.unknown_fields = &uf;
    uf.tag = 100;
    uf.wire_type = PROTOBUF_C_WIRE_TYPE_VARINT;
    uf.len = 1;
    uf.data = &one;
    emit("bad-unknown-field-in-task", S_SUPPORT_PLAN, &s, COUNCIL_EFORMAT);
    t2.base.n_unknown_fields = 0;
    t2.base.unknown_fields = NULL;

    s = section();
    s.identity = &id2;
    id2.name = "山田\a花子"; /* BEL */
    emit("bad-control-char-in-name", S_IDENTITY, &s, COUNCIL_EFORMAT);
    id2.name = "Jane Doe";
    id2.phone = "000-0000-0000\n"; /* a line, not free text */
    emit("bad-newline-in-phone", S_IDENTITY, &s, COUNCIL_EFORMAT);
    id2.phone = NULL;

    s = section();
    s.text = "carriage\r\nreturn";
    emit("bad-control-char-cr-in-text", S_SITUATION, &s, COUNCIL_EFORMAT);
    s.text = "overlong \xc0\xaf slash";
    emit("bad-utf8-overlong", S_SITUATION, &s, COUNCIL_EFORMAT);
    s.text = "surrogate \xed\xa0\x80 half";
    emit("bad-utf8-surrogate", S_HEALTH, &s, COUNCIL_EFORMAT);
    s.text = "truncated \xe5\xb1";
    emit("bad-utf8-truncated", S_FAMILY, &s, COUNCIL_EFORMAT);
    s.text = "";
    emit("bad-empty-text", S_CHILD, &s, COUNCIL_EFORMAT);

    /* An unknown top-level field (15, varint 1) after valid content. */
    s = section();
    s.text = "ok";
    n = pack(&s, buf);
    buf[n++] = 0x78;
    buf[n++] = 0x01;
    emit_raw("bad-unknown-field", S_JUSTICE, buf, n, COUNCIL_EFORMAT);

    /* A Task without its required state: protobuf-c refuses it. */
    {
        static const uint8_t no_state[] = { 0x22, 0x05, 0x0a, 0x03, 0x0a, 0x01, 'x' };
        emit_raw("bad-task-missing-state", S_SUPPORT_PLAN, no_state, sizeof no_state,
                 COUNCIL_EFORMAT);
    }

    /* Cut short: protobuf-c refuses a truncated message; zero bytes are
     * refused before protobuf-c sees them. */
    s = section();
    s.support_plan = &plan;
    n = pack(&s, buf);
    emit_raw("trunc-support-plan-last-byte", S_SUPPORT_PLAN, buf, n - 1, COUNCIL_EFORMAT);
    emit_raw("trunc-support-plan-half", S_SUPPORT_PLAN, buf, n / 2, COUNCIL_EFORMAT);
    emit_raw("trunc-empty", S_SITUATION, buf, 0, COUNCIL_EFORMAT);

    /* Not written (it would make libFuzzer's inputs huge): one byte over the
     * cap gives ELIMIT before protobuf-c reads a byte. */
    big = calloc(1, (size_t)COUNCIL_SECTION_MAX + 1);
    if (big == NULL)
        die("calloc", 0);
    if (council__section_check(NULL, "situation", big, (size_t)COUNCIL_SECTION_MAX + 1) !=
        COUNCIL_ELIMIT)
        die("ELIMIT check", 0);
    free(big);

    printf("%u seeds\n", written);
    return 0;
}
