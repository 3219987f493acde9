"""The domain core: program definitions, scoring, eligibility, validity, ROC dates, the Taiwan
working-day calendar and deadline regimes. Plain Python — never imports Django or an engine."""
