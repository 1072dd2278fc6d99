from langso.lib.paths import ancestors_of, roll_up

# A commune (1) with two hamlets (2, 3); hamlet 2 has a group (4).
PATHS = {1: "79/c", 2: "79/c/h2", 3: "79/c/h3", 4: "79/c/h2/g4"}


def test_ancestors_of_lists_the_path_and_those_above_it_top_first():
    assert ancestors_of("79/c/h2/g4") == ["79", "79/c", "79/c/h2", "79/c/h2/g4"]


def test_roll_up_counts_a_leaf_towards_itself_and_each_ancestor_shown():
    households = {3: {"households": 5}, 4: {"households": 2}}
    people = {3: {"people": 20}, 4: {"people": 7}}

    totals = roll_up(PATHS, PATHS, households, people)

    assert totals[1] == {"households": 7, "people": 27}
    assert totals[2] == {"households": 2, "people": 7}
    assert totals[3] == {"households": 5, "people": 20}
    assert totals[4] == {"households": 2, "people": 7}


def test_roll_up_skips_nodes_not_asked_for_and_fills_missing_names_with_zero():
    nodes = {1: PATHS[1], 3: PATHS[3]}

    totals = roll_up(nodes, PATHS, {4: {"members": 3}}, names=("members", "meetings"))

    assert totals == {1: {"members": 3, "meetings": 0}, 3: {"members": 0, "meetings": 0}}


def test_roll_up_of_a_leaf_without_a_known_path_counts_nowhere():
    assert roll_up({1: PATHS[1]}, {}, {9: {"people": 4}}) == {1: {"people": 0}}
