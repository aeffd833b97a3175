class CalendarError(Exception):
    code = "calendar_error"


class UnknownAgency(CalendarError):
    code = "unknown_agency"

    def __init__(self, agency_code: str) -> None:
        super().__init__(f"No agency has the code {agency_code!r}.")
        self.agency_code = agency_code
