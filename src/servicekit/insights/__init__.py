"""Insights for a support lead: what is suddenly going wrong (rising topics, tested
exactly with Benjamini-Hochberg across topics) and who needs coaching, fairly
(empirical-Bayes shrinkage of CSAT and FCR toward the team, with intervals, ranks and
"not enough data" flags). Needs scipy: ``pip install 'servicekit[insights]'``.

>>> from servicekit import insights
>>> result = insights.compare_agents({"ana": (3, 3), "bo": (180, 200), "cy": (150, 200)})
>>> [agent.agent for agent in result.agents if not agent.enough_data]
['ana']
>>> insights.benjamini_hochberg([0.001, 0.2, 0.01], q=0.05)
(True, False, True)
"""

from servicekit.insights._fdr import benjamini_hochberg, bh_adjusted
from servicekit.insights._rising import (
    RisingTopics,
    TopicTrend,
    rising_topics,
    rising_topics_from_tickets,
)
from servicekit.insights._shrinkage import (
    AgentComparison,
    AgentEstimate,
    JamesStein,
    compare_agents,
    james_stein,
)

__all__ = [
    "AgentComparison",
    "AgentEstimate",
    "JamesStein",
    "RisingTopics",
    "TopicTrend",
    "benjamini_hochberg",
    "bh_adjusted",
    "compare_agents",
    "james_stein",
    "rising_topics",
    "rising_topics_from_tickets",
]
