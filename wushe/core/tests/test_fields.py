import pytest
from django import forms
from django.core.exceptions import FieldError
from django.db import connection, models
from django.test.utils import isolate_apps

from wushe.core.crypto import decrypt, encrypt, lookup_hash
from wushe.core.fields import EncryptedTextField, LookupHashField

ID_NUMBER = "11010519491231002X"
PHONE = "13800138000"
OTHER_PHONE = "13912345678"


@pytest.fixture
def note_model(db):
    """A test-only model (in an isolated app registry, so no migration ever sees it) whose table
    lives inside the test's transaction: SQLite and PostgreSQL both roll the CREATE TABLE back."""
    with isolate_apps("wushe.core"):

        class SecretNote(models.Model):
            name = models.CharField(max_length=20)
            id_number = EncryptedTextField(blank=True)
            phone = EncryptedTextField(null=True, blank=True)
            phone_hash = LookupHashField(blank=True)

            class Meta:
                app_label = "core"

            def __str__(self) -> str:
                return self.name

        # SQLite's schema editor refuses to be entered inside a transaction (it cannot switch
        # foreign keys off there); this model has no foreign keys, so run its CREATE TABLE alone.
        sql, params = connection.schema_editor().table_sql(SecretNote)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        yield SecretNote


def raw_rows(model) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table} ORDER BY id")
        return cursor.fetchall()


def make_note(model, name, id_number, phone):
    return model.objects.create(
        name=name, id_number=id_number, phone=phone, phone_hash=lookup_hash("phone", phone or "")
    )


def test_the_field_stores_a_token_and_gives_back_plaintext():
    field = EncryptedTextField()
    token = field.get_prep_value(PHONE)
    assert token.startswith("v1.") and decrypt(token) == PHONE
    assert field.from_db_value(token, None, connection) == PHONE
    assert field.to_python(PHONE) == PHONE


@pytest.mark.parametrize("value", [None, ""])
def test_null_and_empty_stay_as_they_are(value):
    field = EncryptedTextField(null=True)
    assert field.get_prep_value(value) == value
    assert field.from_db_value(value, None, connection) == value


def test_a_number_is_stored_as_its_text():
    assert decrypt(EncryptedTextField().get_prep_value(13800138000)) == PHONE


def test_the_fields_deconstruct_for_migrations():
    name, path, args, kwargs = EncryptedTextField(null=True, blank=True).deconstruct()
    assert path == "wushe.core.fields.EncryptedTextField"
    assert kwargs == {"null": True, "blank": True}
    assert EncryptedTextField(*args, **kwargs).deconstruct()[3] == kwargs

    _, path, _, kwargs = LookupHashField().deconstruct()
    assert path == "wushe.core.fields.LookupHashField"
    assert kwargs == {}
    assert LookupHashField(**kwargs).max_length == 64 and LookupHashField(**kwargs).db_index
    kwargs = LookupHashField(unique=True, db_index=False).deconstruct()[3]
    assert kwargs == {"unique": True, "db_index": False}
    assert LookupHashField(**kwargs).db_index is False


def test_an_indexed_or_unique_encrypted_field_fails_the_system_check():
    with isolate_apps("wushe.core"):

        class Bad(models.Model):
            phone = EncryptedTextField(unique=True)

            class Meta:
                app_label = "core"

            def __str__(self) -> str:
                return "bad"

    assert [error.id for error in Bad._meta.get_field("phone").check()] == ["wushe.E001"]


def test_the_database_holds_tokens_and_the_model_reads_plaintext(note_model):
    note = make_note(note_model, "张三", ID_NUMBER, PHONE)
    [(pk, name, id_column, phone_column, hash_column)] = raw_rows(note_model)
    assert id_column.startswith("v1.") and decrypt(id_column) == ID_NUMBER
    assert phone_column.startswith("v1.") and decrypt(phone_column) == PHONE
    assert hash_column == lookup_hash("phone", PHONE)

    assert note.phone == PHONE  # the saved instance keeps its plaintext
    fresh = note_model.objects.get(pk=pk)
    assert (fresh.id_number, fresh.phone) == (ID_NUMBER, PHONE)
    assert list(note_model.objects.values_list("phone", flat=True)) == [PHONE]


def test_a_raw_dump_of_the_table_holds_no_plaintext(note_model):
    people = [("甲", ID_NUMBER, PHONE), ("乙", "110101200001011234", OTHER_PHONE)]
    for person in people:
        make_note(note_model, *person)
    note_model.objects.filter(name="乙").update(phone="13700001111")
    dump = repr(raw_rows(note_model))
    for secret in [ID_NUMBER, PHONE, "110101200001011234", OTHER_PHONE, "13700001111"]:
        assert secret not in dump
    assert "甲" in dump  # the dump is real: unencrypted columns are there


def test_update_bulk_create_and_bulk_update_encrypt_too(note_model):
    first, second = note_model.objects.bulk_create(
        [note_model(name="a", id_number=ID_NUMBER), note_model(name="b", phone=PHONE)]
    )
    note_model.objects.filter(name="a").update(phone=OTHER_PHONE)
    second.phone = "13700001111"
    note_model.objects.bulk_update([second], ["phone"])

    phones = [row[3] for row in raw_rows(note_model)]
    assert all(phone.startswith("v1.") for phone in phones)
    assert [decrypt(phone) for phone in phones] == [OTHER_PHONE, "13700001111"]
    assert sorted(note_model.objects.values_list("phone", flat=True)) == [
        "13700001111",
        OTHER_PHONE,
    ]


def test_exact_search_goes_through_the_keyed_hash(note_model):
    make_note(note_model, "甲", ID_NUMBER, PHONE)
    make_note(note_model, "乙", "110101200001011234", OTHER_PHONE)
    found = note_model.objects.get(phone_hash=lookup_hash("phone", OTHER_PHONE))
    assert found.name == "乙"


def test_empty_and_null_values_can_be_queried(note_model):
    make_note(note_model, "none", "", None)
    make_note(note_model, "empty", "", "")
    make_note(note_model, "full", ID_NUMBER, PHONE)
    assert [n.name for n in note_model.objects.filter(phone__isnull=True)] == ["none"]
    assert [n.name for n in note_model.objects.filter(phone=None)] == ["none"]
    assert [n.name for n in note_model.objects.filter(phone="")] == ["empty"]
    assert note_model.objects.exclude(id_number="").get().name == "full"
    assert raw_rows(note_model)[0][2:4] == ("", None)


@pytest.mark.parametrize(
    "lookup",
    [
        {"phone": PHONE},
        {"phone__in": [PHONE]},
        {"phone__icontains": "5678"},
        {"phone__startswith": "138"},
        {"phone__gt": "1"},
        {"phone__lower": PHONE},
        {"phone": models.F("id_number")},
    ],
)
def test_other_lookups_are_refused_with_a_pointer_to_the_keyed_hash(note_model, lookup):
    with pytest.raises(FieldError, match="look up by keyed hash instead"):
        note_model.objects.filter(**lookup)


def test_a_model_form_shows_and_saves_plaintext(note_model):
    note = make_note(note_model, "甲", ID_NUMBER, PHONE)
    form_class = forms.modelform_factory(note_model, fields=["name", "phone"])
    form = form_class(instance=note)
    assert form["phone"].value() == PHONE

    form = form_class({"name": "甲", "phone": OTHER_PHONE}, instance=note)
    assert form.is_valid(), form.errors
    form.save()
    assert decrypt(raw_rows(note_model)[0][3]) == OTHER_PHONE


def test_a_row_written_under_an_old_key_still_reads_after_rotation(note_model, settings):
    settings.WUSHE_FIELD_KEYS = [("old", bytes(32))]
    note = make_note(note_model, "甲", ID_NUMBER, PHONE)
    settings.WUSHE_FIELD_KEYS = [("new", bytes(range(32))), ("old", bytes(32))]
    assert note_model.objects.get(pk=note.pk).phone == PHONE
    assert encrypt(PHONE).startswith("v1.new.")
