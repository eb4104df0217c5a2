"""Texts the link tests make: one statement, its copies, a rewrite, a partial reuse and an unrelated text."""

from __future__ import annotations

ORIGINAL = (
    "The Ministry of Foreign Affairs strongly condemns the shelling of the Al-Salam market in El Fasher on 12 May 2024. "
    "At least 38 civilians, including 11 children, were killed and more than 90 were wounded in the attack. "
    "Witnesses said that artillery rounds hit the crowded market shortly after morning prayers. "
    "The Rapid Support Forces positioned heavy guns in residential neighbourhoods north of the city. "
    "Deliberate attacks on civilians and civilian objects constitute war crimes under the Geneva Conventions. "
    "The Ministry calls on the United Nations Security Council to open an independent investigation without delay. "
    "Humanitarian convoys carrying food and medicine have been blocked at the western checkpoint for three weeks. "
    "The Government reaffirms its commitment to protecting civilians and to cooperating with international monitors."
)

# site furniture the ingest cleaner does not know (byline, photo credit, "read also" teaser) plus some it does
FURNITURE_COPY = (
    "Home / News / Africa\nShare this page\nBy Staff Writer | Khartoum Daily\n\n" + ORIGINAL
    + "\n\nPhoto: archive\nRead also: Ceasefire talks stall in Jeddah\nAll rights reserved. Khartoum Daily 2024"
)

REWRITE = (
    "Sudan's foreign ministry on Monday condemned the shelling of El Fasher's Al-Salam market on May 12, 2024. "
    "No fewer than 38 civilians were killed in the attack, among them 11 children, and over 90 others were wounded, "
    "the ministry stated. "
    "According to witnesses, artillery shells struck the packed market soon after morning prayers. "
    "The ministry accused the Rapid Support Forces of placing heavy guns inside residential neighbourhoods in the north "
    "of the city. "
    "Under the Geneva Conventions, deliberate attacks against civilians and civilian objects amount to war crimes, "
    "the statement said. "
    "The ministry urged the UN Security Council to launch an independent investigation without delay. "
    "It also said convoys of food and medicine had been blocked for three weeks at the western checkpoint."
)

PARTIAL = (
    "Fighting around El Fasher has intensified over the past month, according to residents reached by telephone. "
    "Aid agencies warn that the city's hospitals are running out of fuel, oxygen and surgical supplies. "
    "Satellite images published by researchers show burned villages along the road to Kutum. "
    "In a statement, the Foreign Ministry said: "
    "At least 38 civilians, including 11 children, were killed and more than 90 were wounded in the attack. "
    "Witnesses said that artillery rounds hit the crowded market shortly after morning prayers. "
    "The Rapid Support Forces positioned heavy guns in residential neighbourhoods north of the city. "
    "The paramilitary group denied responsibility and blamed army aircraft for the explosions. "
    "Talks in Jeddah between the two sides have been suspended since December without any agreement on a ceasefire. "
    "The United Nations estimates that more than eight million people have been displaced across the country. "
    "Doctors described operating by torchlight as generators failed during repeated power cuts in the evenings. "
    "Traders said food prices in the remaining markets have tripled since the siege began in April."
)

UNRELATED_SAME_TOPIC = (
    "The Rapid Support Forces on Tuesday rejected accusations that its fighters shelled civilian areas of El Fasher. "
    "A spokesman for the group said army warplanes had bombed the city's eastern districts overnight. "
    "He claimed that 14 fighters and several civilians were killed by airstrikes near the airport. "
    "The group called for an international inquiry into what it described as indiscriminate bombing by the army. "
    "Humanitarian organisations say both sides have obstructed the delivery of aid to besieged populations in Darfur. "
    "The African Union has asked the warring parties to return to negotiations and to respect international law. "
    "Residents reported that water stations in the southern part of the city stopped working last week."
)
