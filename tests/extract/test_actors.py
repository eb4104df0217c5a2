"""Actor dictionary and actor mentions: canonical names, organs, capitals, demonyms, persons with roles."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counterclaim.errors import InputError
from counterclaim.extract.actor_dictionary import build_dictionary, load_dictionary
from counterclaim.extract.actors import actor_at, actors_in, canonical_name, person_named
from counterclaim.extract.context import Context, DocInput
from counterclaim.records import ActorMention


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    """The model with only the components under test (actors): others' work cannot break these tests."""
    import counterclaim.nlp.components  # noqa: F401  (registers the factories)
    from counterclaim.extract.actors import add_actor_ruler
    from counterclaim.nlp.pipeline import load_model

    model = load_model()
    add_actor_ruler(model)
    for name in ("counterclaim_actors_v1",):
        model.add_pipe(name)
    return model


CASES = Path(__file__).resolve().parents[1] / "cases"


def case(name: str) -> str:
    return (CASES / name).read_text("utf-8")


def run(nlp, text: str) -> list[ActorMention]:  # type: ignore[no-untyped-def]
    doc = nlp.make_doc(text)
    doc._.cc = Context(DocInput(id="t", text=text))
    return nlp(doc)._.cc.actors


@pytest.mark.parametrize(
    ("surface", "canonical"),
    [
        ("Yerevan", "Armenia"), ("the Armenian side", "Armenia"), ("Armenian MFA", "Armenia"),
        ("Armenian Foreign Ministry", "Armenia"), ("Armenians", "Armenia"), ("EU", "European Union"),
        ("European Union", "European Union"), ("OIC", "Organization of Islamic Cooperation"),
        ("ECHR", "European Court of Human Rights"), ("European Court of Human Rights", "European Court of Human Rights"),
        ("Ministry of Foreign Affairs of the Republic of Azerbaijan", "Azerbaijan"), ("Baku", "Azerbaijan"),
        ("Kiev", "Ukraine"), ("Kyiv", "Ukraine"), ("Russian Foreign Ministry", "Russia"), ("Moscow", "Russia"),
        ("Azerbaijani Foreign Ministry", "Azerbaijan"), ("USSR", "Soviet Union"), ("Western states", "Western states"),
        ("the Republic of Azerbaijan", "Azerbaijan"), ("Ministry of Defence of Ukraine", "Ukraine"),
    ],
)
def test_canonical_name(surface: str, canonical: str) -> None:
    assert canonical_name(surface) == canonical


@pytest.mark.parametrize("surface", ["the Court", "Leyla Abdullayeva", "ministry", "", "turkey sandwich"])
def test_canonical_name_unknown(surface: str) -> None:
    assert canonical_name(surface) is None


def test_user_file_extends_dictionary(tmp_path: Path) -> None:
    user = tmp_path / "mine.yaml"
    user.write_text("group:\n  Fano militia: [Fano]\nstates:\n  Armenia: {aka: [Hayastan]}\n", "utf-8")
    d = load_dictionary(str(user))
    assert d.canonical("Fano") == "Fano militia"
    assert d.canonical("Hayastan") == "Armenia"
    assert d.canonical("Yerevan") == "Armenia"  # shipped entries stay


def test_bad_user_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="actor dictionary"):
        build_dictionary(("x.yaml", "- just\n- a list\n"))
    with pytest.raises(InputError):
        load_dictionary(str(tmp_path / "missing.yaml"))


def test_find_actors_organs_capitals_and_demonyms(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Kyiv accused Moscow of shelling. The Russian Ministry of Defence denied it, while the Ministry of Foreign "
        "Affairs of Ukraine said Ukrainians in Kharkiv were killed. The ministry called on the EU to act."
    )
    found = run(nlp, text)
    by_text = {m.text: m for m in found}
    assert by_text["Kyiv"].actor == "Ukraine" and by_text["Kyiv"].role == "capital"
    assert by_text["Moscow"].actor == "Russia"
    mod = by_text["Russian Ministry of Defence"]
    assert (mod.actor, mod.kind, mod.role) == ("Russia", "organ", "Ministry of Defence")
    mfa = by_text["Ministry of Foreign Affairs of Ukraine"]
    assert (mfa.actor, mfa.kind, mfa.state) == ("Ukraine", "organ", "Ukraine")
    assert by_text["Ukrainians"].kind == "group" and by_text["Ukrainians"].actor == "Ukraine"
    assert by_text["The ministry"].actor == "Ukraine"
    assert by_text["EU"].actor == "European Union" and by_text["EU"].kind == "igo"
    for m in found:
        assert text[m.start:m.end] == m.text


def test_lowercase_common_words_are_not_actors(nlp) -> None:  # type: ignore[no-untyped-def]
    found = run(nlp, "They told us the turkey was cold.")
    assert [m.actor for m in found if m.kind != "person"] == []


def test_person_with_apposition_role(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Oleg Nikolenko, spokesperson for the Ukrainian Foreign Ministry, condemned the strike. "
        "Nikolenko said more would follow."
    )
    found = run(nlp, text)
    persons = [m for m in found if m.kind == "person"]
    assert persons and persons[0].actor == "Oleg Nikolenko"
    assert persons[0].state == "Ukraine" and "spokesperson" in (persons[0].role or "")
    assert person_named(found, "Nikolenko") == "Oleg Nikolenko"


def test_actor_at_and_actors_in() -> None:
    ms = [
        ActorMention(doc="d", start=0, end=4, actor="Ukraine", text="Kyiv"),
        ActorMention(doc="d", start=20, end=47, actor="Russia", kind="organ", text="Russian Ministry of Defence"),
    ]
    assert [m.actor for m in actors_in(ms, 0, 50)] == ["Ukraine", "Russia"]
    assert actors_in(ms, 5, 19) == []
    hit = actor_at(ms, 10, 50)
    assert hit is not None and hit.actor == "Russia"
    inner = actor_at(ms, 28, 36)
    assert inner is not None and inner.actor == "Russia"
    assert actor_at(ms, 5, 19) is None


def test_every_canonical_name_maps_to_itself() -> None:
    """Data consistency: no alias of one actor shadows another actor's canonical name."""
    d = load_dictionary(None)
    for name in d.kinds:
        hit = d.lookup(name)
        part = hit is not None and hit.kind == "igo" and hit.state is not None and d.canonical(name) == hit.state
        assert d.canonical(name) == name or hit is not None and hit.kind == "organ" or part, name


def test_un_bodies_are_the_united_nations_as_parties() -> None:
    """Every UN body, agency and mission claims and is accused as the United Nations (part_of in actors.yaml);
    the mention keeps the body's own name. A news agency is no party ("Agence France-Presse" is not France)."""
    from counterclaim.extract.actors import party
    from counterclaim.records import ActorMention

    d = load_dictionary(None)
    for form in ("OHCHR", "UN High Commissioner for Human Rights", "UNICEF", "HRMMU", "MONUSCO", "UN Security Council"):
        assert d.canonical(form) == "United Nations", form
    assert d.canonical("Human Rights Watch") == "Human Rights Watch"
    body = ActorMention(doc="d", start=0, end=5, actor="OHCHR", kind="igo", text="OHCHR", state="United Nations")
    assert party(body) == "United Nations"
    assert d.canonical("Agence France-Presse") == "Agence France-Presse"
    outlet = ActorMention(doc="d", start=0, end=3, actor="Agence France-Presse", kind="outlet", text="AFP")
    assert party(outlet) is None


@given(st.text(max_size=60))
def test_canonical_name_never_fails(text: str) -> None:
    result = canonical_name(text)
    assert result is None or isinstance(result, str)


def test_person_state_from_the_body_before_the_title(nlp) -> None:  # type: ignore[no-untyped-def]
    found = run(nlp, "The Myanmar junta spokesman Zaw Min Tun rejected the findings on Tuesday.")
    person = next(m for m in found if m.kind == "person")
    assert (person.actor, person.state) == ("Zaw Min Tun", "Myanmar")


def test_places_are_not_actors(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "KYIV, May 2 (Wire) - Delegates met in Moscow to discuss the Rome Statute and the Minsk agreements."
    found = run(nlp, text)
    assert [m.text for m in found if m.role == "capital"] == []


def test_bare_organ_takes_the_publishers_state(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Foreign Ministry Spokesperson Wang Lin said the Foreign Ministry had summoned the ambassador."
    doc = nlp.make_doc(text)
    doc._.cc = Context(DocInput(id="t", text=text, publisher="Ministry of Foreign Affairs of the People's Republic of China"))
    found = nlp(doc)._.cc.actors
    assert {(m.text, m.actor) for m in found if m.kind == "organ"} >= {("Foreign Ministry", "China")}
    assert next(m for m in found if m.kind == "person").state == "China"
    # without a publisher naming a state, a bare organ stays unresolved
    assert not [m for m in run(nlp, text) if m.kind == "organ"]


def test_anaphora_resolves_to_bodies_only(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Armenian villagers fled after the shelling. The group said it would return.\n\n"
        "In its judgment, the European Court of Human Rights examined the case. The Court stated that the acts were grave."
    )
    found = run(nlp, text)
    by_text = {m.text: m for m in found}
    assert "The group" not in by_text  # a demonym adjective is not a body
    assert by_text["The Court"].actor == "European Court of Human Rights"
    assert by_text["The Court"].kind == "court"


def test_place_as_a_persons_first_name(nlp) -> None:  # type: ignore[no-untyped-def]
    """A state or capital name followed by a surname and a speech verb, a role apposition, or after a title or a
    speech verb is a person's first name; "Tirana, the capital", "Kyiv Mayor X", "Paris Agreement" stay as they were."""
    text = case("actors_place_first_names.txt")
    found = run(nlp, text)
    persons = {m.text: m for m in found if m.kind == "person"}
    assert {"Paris Delacroix", "Israel Katz", "Tirana Hassan", "Katz", "Hassan", "Vitali Klitschko"} <= set(persons)
    assert persons["Israel Katz"].state == "Israel"  # from its title "Israeli Defence Minister"
    assert persons["Katz"].actor == "Israel Katz" and persons["Hassan"].actor == "Tirana Hassan"
    assert persons["Tirana Hassan"].state == "Human Rights Watch"
    assert persons["Vitali Klitschko"].state == "Ukraine"
    places = [(m.text, m.actor) for m in found if m.kind == "state"]
    assert ("Tirana", "Albania") in places  # "Tirana, the capital of Albania, hosted ..."
    assert ("Kyiv", "Ukraine") in places  # "Kyiv Mayor Vitali Klitschko"
    assert not [m for m in found if m.actor == "France"]  # "Paris Agreement" is an instrument, Paris Delacroix a person
    assert not [m for m in found if m.kind == "person" and m.text.split()[0] in ("Kyiv", "Khartoum")]  # Kyiv Post


@pytest.mark.parametrize(
    ("text", "state"),
    [
        ("The Sudan Doctors Network said the hospital was hit.", "Sudan"),  # after "the": a name of a body
        ("Israel Hayom reported that the cabinet met.", "Israel"),  # an outlet
        ("The Moscow Times said the Moscow Region was hit.", "Russia"),
        ("Delegates met in Paris Tuesday.", "France"),  # locative
        ("The Washington Post reported that Israel Katz met the envoy.", "Israel"),  # no cue: left as it was
    ],
)
def test_place_before_a_capitalised_word_stays_a_place(nlp, text: str, state: str) -> None:  # type: ignore[no-untyped-def]
    found = run(nlp, text)
    assert not [m for m in found if m.kind == "person" and canonical_name(m.text.split()[0]) == state]
    if not text.startswith("Delegates"):  # "in Paris": a place, no actor at all
        assert state in [m.actor for m in found if m.kind == "state"]


def test_a_place_first_name_named_with_a_cue_elsewhere(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Israel Katz said the strikes would continue. Israel Katz's office later declined to comment."
    found = run(nlp, text)
    assert [m.text for m in found if m.kind == "person" and m.actor == "Israel Katz"] == ["Israel Katz", "Israel Katz"]
    assert not [m for m in found if m.kind == "state"]


def test_west_of_a_place_name_is_not_the_west(nlp) -> None:  # type: ignore[no-untyped-def]
    found = run(nlp, "Fighters attacked the West Darfur town of El Geneina. The West condemned the killings.")
    assert [m.text for m in found if m.actor == "Western states"] == ["The West"]


def test_the_groups_director_is_the_ngos(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Human Rights Watch said the Rapid Support Forces killed civilians. \"The killings must stop,\" said "
        "Tirana Hassan, the group's executive director. The group's fighters denied it."
    )
    found = run(nlp, text)
    groups = [(m.text, m.actor) for m in found if m.text.lower() == "the group"]
    assert groups == [("the group", "Human Rights Watch"), ("The group", "Rapid Support Forces")]
    assert next(m for m in found if m.actor == "Tirana Hassan").state == "Human Rights Watch"


def test_a_person_the_dictionary_knows_keeps_its_state(nlp, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from counterclaim.extract.actor_dictionary import ENV_VAR

    user = tmp_path / "persons.yaml"
    user.write_text("person:\n  Israel Katz: {state: Israel}\n", "utf-8")
    monkeypatch.setenv(ENV_VAR, str(user))
    load_dictionary.cache_clear()
    try:
        found = run(nlp, "Israel Katz met the envoy on Monday. Katz later said the talks had failed.")
        persons = [(m.text, m.actor, m.state) for m in found if m.kind == "person"]
        assert persons == [("Israel Katz", "Israel Katz", "Israel"), ("Katz", "Israel Katz", "Israel")]
        assert canonical_name("Israel Katz") == "Israel Katz"
    finally:
        monkeypatch.delenv(ENV_VAR)
        load_dictionary.cache_clear()


def test_honorifics_and_name_cues_come_from_the_data_file() -> None:
    d = load_dictionary(None)
    assert {"Brig", "Gen", "Dr"} <= d.honorifics
    assert {"city", "post", "agreement"} <= d.not_surnames
    extra = build_dictionary(("a.yaml", "name_cues:\n  honorifics: [Cmdt.]\n  not_surnames: [Brigade]\n"))
    assert "Cmdt" in extra.honorifics and "brigade" in extra.not_surnames


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ('"The camp was shelled," said Minister of Foreign Affairs Eka Tkeshelashvili.', "Eka Tkeshelashvili",
         "Minister of Foreign Affairs"),
        ('"Those responsible must be held to account," said Chief Prosecutor Karim Ahmad Khan.', "Karim Ahmad Khan",
         "Chief Prosecutor"),
        ('"Hospitals must never be a target," said WHO Director-General Tedros Adhanom Ghebreyesus on Monday.',
         "Tedros Adhanom Ghebreyesus", "WHO Director-General"),
        ('"These are disturbing findings," said UN High Commissioner for Human Rights Volker Türk.', "Volker Türk",
         "UN High Commissioner for Human Rights"),
    ],
)
def test_name_after_a_title_after_the_verb(nlp, text: str, name: str, role: str) -> None:  # type: ignore[no-untyped-def]
    persons = [m for m in run(nlp, text) if m.kind == "person"]
    assert [(m.actor, m.role) for m in persons] == [(name, role)]


@pytest.mark.parametrize(
    "text",
    [
        '"This attack was planned," said Human Rights Watch in a report.',
        '"All sides must respect the ceasefire," said the Ministry of Defence Press Office.',
        '"We will investigate," said the Office of the High Commissioner for Human Rights.',
    ],
)
def test_no_person_after_a_verb_without_a_name(nlp, text: str) -> None:  # type: ignore[no-untyped-def]
    assert not [m for m in run(nlp, text) if m.kind == "person"]


def test_spoke_to_a_person_is_no_place(nlp) -> None:  # type: ignore[no-untyped-def]
    persons = [m for m in run(nlp, "We spoke to Ahmed Mahat, MSF's head of mission in Yemen, about the strike.")
               if m.kind == "person"]
    assert [m.actor for m in persons] == ["Ahmed Mahat"]
    assert not [m for m in run(nlp, "Families fled to Tula Toli, the village commander said.") if m.kind == "person"]
