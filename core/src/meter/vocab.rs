//! The OCPP sampled-value vocabulary: measurands, phases, locations, contexts.

use crate::enums::wire_enum;

wire_enum! {
    /// What a sampled value measures (OCPP 1.6, 2.0.1 and 2.1 measurands).
    ///
    /// ```
    /// use chargekit::meter::Measurand;
    /// let m: Measurand = "Energy.Active.Import.Register".parse().unwrap();
    /// assert_eq!(m, Measurand::EnergyActiveImportRegister);
    /// assert!(m.is_energy());
    /// ```
    pub enum Measurand {
        /// Instantaneous current from the EV to the grid.
        CurrentExport = "Current.Export",
        /// Instantaneous current from the grid to the EV.
        CurrentImport = "Current.Import",
        /// Maximum current offered to the EV.
        CurrentOffered = "Current.Offered",
        /// Exported active energy register.
        EnergyActiveExportRegister = "Energy.Active.Export.Register",
        /// Imported active energy register: the billing register.
        EnergyActiveImportRegister = "Energy.Active.Import.Register",
        /// Exported reactive energy register.
        EnergyReactiveExportRegister = "Energy.Reactive.Export.Register",
        /// Imported reactive energy register.
        EnergyReactiveImportRegister = "Energy.Reactive.Import.Register",
        /// Exported active energy in the last interval.
        EnergyActiveExportInterval = "Energy.Active.Export.Interval",
        /// Imported active energy in the last interval (already a delta).
        EnergyActiveImportInterval = "Energy.Active.Import.Interval",
        /// Net active energy (import minus export).
        EnergyActiveNet = "Energy.Active.Net",
        /// Exported reactive energy in the last interval.
        EnergyReactiveExportInterval = "Energy.Reactive.Export.Interval",
        /// Imported reactive energy in the last interval.
        EnergyReactiveImportInterval = "Energy.Reactive.Import.Interval",
        /// Net reactive energy.
        EnergyReactiveNet = "Energy.Reactive.Net",
        /// Net apparent energy.
        EnergyApparentNet = "Energy.Apparent.Net",
        /// Imported apparent energy.
        EnergyApparentImport = "Energy.Apparent.Import",
        /// Exported apparent energy.
        EnergyApparentExport = "Energy.Apparent.Export",
        /// Grid frequency.
        Frequency = "Frequency",
        /// Active power to the grid.
        PowerActiveExport = "Power.Active.Export",
        /// Active power from the grid.
        PowerActiveImport = "Power.Active.Import",
        /// Power factor.
        PowerFactor = "Power.Factor",
        /// Maximum power offered to the EV.
        PowerOffered = "Power.Offered",
        /// Reactive power to the grid.
        PowerReactiveExport = "Power.Reactive.Export",
        /// Reactive power from the grid.
        PowerReactiveImport = "Power.Reactive.Import",
        /// Battery state of charge (percent).
        SoC = "SoC",
        /// Voltage.
        Voltage = "Voltage",
        /// Temperature (OCPP 1.6 only).
        Temperature = "Temperature",
        /// Fan speed (OCPP 1.6 only).
        Rpm = "RPM",
        /// 2.1: minimum export current the EV accepts.
        CurrentExportMinimum = "Current.Export.Minimum",
        /// 2.1: maximum export current offered.
        CurrentExportOffered = "Current.Export.Offered",
        /// 2.1: minimum import current the EV needs.
        CurrentImportMinimum = "Current.Import.Minimum",
        /// 2.1: maximum import current offered.
        CurrentImportOffered = "Current.Import.Offered",
        /// 2.1: the EV's battery capacity, for display.
        DisplayBatteryEnergyCapacity = "Display.BatteryEnergyCapacity",
        /// 2.1: whether charging is complete, for display.
        DisplayChargingComplete = "Display.ChargingComplete",
        /// 2.1: whether the inlet is hot, for display.
        DisplayInletHot = "Display.InletHot",
        /// 2.1: maximum SoC, for display.
        DisplayMaximumSoc = "Display.MaximumSOC",
        /// 2.1: minimum SoC, for display.
        DisplayMinimumSoc = "Display.MinimumSOC",
        /// 2.1: present SoC, for display.
        DisplayPresentSoc = "Display.PresentSOC",
        /// 2.1: time to the maximum SoC, for display.
        DisplayRemainingTimeToMaximumSoc = "Display.RemainingTimeToMaximumSOC",
        /// 2.1: time to the minimum SoC, for display.
        DisplayRemainingTimeToMinimumSoc = "Display.RemainingTimeToMinimumSOC",
        /// 2.1: time to the target SoC, for display.
        DisplayRemainingTimeToTargetSoc = "Display.RemainingTimeToTargetSOC",
        /// 2.1: target SoC, for display.
        DisplayTargetSoc = "Display.TargetSOC",
        /// 2.1: energy lost in the cable.
        EnergyActiveImportCableLoss = "Energy.Active.Import.CableLoss",
        /// 2.1: register of locally generated energy imported.
        EnergyActiveImportLocalGenerationRegister = "Energy.Active.Import.LocalGeneration.Register",
        /// 2.1: energy the setpoint asked for in the last interval.
        EnergyActiveSetpointInterval = "Energy.Active.Setpoint.Interval",
        /// 2.1: energy the EV requests in bulk.
        EnergyRequestBulk = "EnergyRequest.Bulk",
        /// 2.1: maximum energy the EV requests.
        EnergyRequestMaximum = "EnergyRequest.Maximum",
        /// 2.1: maximum energy the EV requests, discharge allowed.
        EnergyRequestMaximumV2x = "EnergyRequest.Maximum.V2X",
        /// 2.1: minimum energy the EV requests.
        EnergyRequestMinimum = "EnergyRequest.Minimum",
        /// 2.1: minimum energy the EV requests, discharge allowed.
        EnergyRequestMinimumV2x = "EnergyRequest.Minimum.V2X",
        /// 2.1: energy the EV requests to reach its target.
        EnergyRequestTarget = "EnergyRequest.Target",
        /// 2.1: residual active power.
        PowerActiveResidual = "Power.Active.Residual",
        /// 2.1: the active power setpoint (negative: discharging).
        PowerActiveSetpoint = "Power.Active.Setpoint",
        /// 2.1: minimum export power the EV accepts.
        PowerExportMinimum = "Power.Export.Minimum",
        /// 2.1: maximum export power offered.
        PowerExportOffered = "Power.Export.Offered",
        /// 2.1: minimum import power the EV needs.
        PowerImportMinimum = "Power.Import.Minimum",
        /// 2.1: maximum import power offered.
        PowerImportOffered = "Power.Import.Offered",
        /// 2.1: highest voltage.
        VoltageMaximum = "Voltage.Maximum",
        /// 2.1: lowest voltage.
        VoltageMinimum = "Voltage.Minimum",
    }
}

impl Measurand {
    /// True for every energy measurand (registers, intervals, net).
    pub fn is_energy(self) -> bool {
        self.as_str().starts_with("Energy.")
    }

    /// True for the measurands that only OCPP 2.1 defines.
    ///
    /// ```
    /// use chargekit::meter::Measurand;
    /// assert!(Measurand::PowerActiveSetpoint.since_v21());
    /// assert!(!Measurand::EnergyActiveExportRegister.since_v21());
    /// ```
    pub fn since_v21(self) -> bool {
        self >= Measurand::CurrentExportMinimum
    }

    /// The flow a measurand counts energy of, for the two active-energy flows.
    ///
    /// ```
    /// use chargekit::meter::{Flow, Measurand};
    /// assert_eq!(Measurand::EnergyActiveExportInterval.active_flow(), Some(Flow::Export));
    /// assert_eq!(Measurand::EnergyActiveNet.active_flow(), None);
    /// ```
    pub fn active_flow(self) -> Option<Flow> {
        use Measurand as M;
        match self {
            M::EnergyActiveImportRegister | M::EnergyActiveImportInterval => Some(Flow::Import),
            M::EnergyActiveExportRegister | M::EnergyActiveExportInterval => Some(Flow::Export),
            _ => None,
        }
    }
}

wire_enum! {
    /// The direction active energy flows, seen from the EV: `import` charges it, `export`
    /// (V2X) discharges it into the station.
    ///
    /// ```
    /// use chargekit::meter::{Flow, Measurand};
    /// assert_eq!(Flow::Export.register(), Measurand::EnergyActiveExportRegister);
    /// ```
    pub enum Flow {
        /// From the grid to the EV.
        Import = "import",
        /// From the EV back to the station (discharging).
        Export = "export",
    }
}

impl Flow {
    /// The energy register of this flow.
    pub fn register(self) -> Measurand {
        match self {
            Flow::Import => Measurand::EnergyActiveImportRegister,
            Flow::Export => Measurand::EnergyActiveExportRegister,
        }
    }

    /// The per-interval energy measurand of this flow.
    pub fn interval(self) -> Measurand {
        match self {
            Flow::Import => Measurand::EnergyActiveImportInterval,
            Flow::Export => Measurand::EnergyActiveExportInterval,
        }
    }

    /// The active power measurand of this flow.
    pub fn power(self) -> Measurand {
        match self {
            Flow::Import => Measurand::PowerActiveImport,
            Flow::Export => Measurand::PowerActiveExport,
        }
    }
}

wire_enum! {
    /// The phase a sampled value refers to (meter perspective). Absent means the total.
    ///
    /// ```
    /// use chargekit::meter::Phase;
    /// assert_eq!("L2-N".parse::<Phase>().unwrap(), Phase::L2N);
    /// ```
    pub enum Phase {
        /// Line 1.
        L1 = "L1",
        /// Line 2.
        L2 = "L2",
        /// Line 3.
        L3 = "L3",
        /// Neutral.
        N = "N",
        /// Line 1 to neutral.
        L1N = "L1-N",
        /// Line 2 to neutral.
        L2N = "L2-N",
        /// Line 3 to neutral.
        L3N = "L3-N",
        /// Line 1 to line 2.
        L1L2 = "L1-L2",
        /// Line 2 to line 3.
        L2L3 = "L2-L3",
        /// Line 3 to line 1.
        L3L1 = "L3-L1",
    }
}

wire_enum! {
    /// Where the value was measured. OCPP's default is `Outlet`.
    ///
    /// ```
    /// use chargekit::meter::Location;
    /// assert_eq!(Location::Outlet.as_str(), "Outlet");
    /// ```
    pub enum Location {
        /// Inside the station body (e.g. temperature).
        Body = "Body",
        /// The cable.
        Cable = "Cable",
        /// Measured by the EV.
        Ev = "EV",
        /// The grid connection of the station.
        Inlet = "Inlet",
        /// The outlet towards the EV (default).
        Outlet = "Outlet",
        /// 2.1: upstream of the station's meter (e.g. the grid connection).
        Upstream = "Upstream",
    }
}

wire_enum! {
    /// Why a value was sampled. OCPP's default is `Sample.Periodic`.
    ///
    /// ```
    /// use chargekit::meter::ReadingContext;
    /// assert_eq!("Transaction.Begin".parse::<ReadingContext>().unwrap(), ReadingContext::TransactionBegin);
    /// ```
    pub enum ReadingContext {
        /// Start of an interruption.
        InterruptionBegin = "Interruption.Begin",
        /// End of an interruption.
        InterruptionEnd = "Interruption.End",
        /// Other reason.
        Other = "Other",
        /// Clock-aligned sample.
        SampleClock = "Sample.Clock",
        /// Periodic sample (default).
        SamplePeriodic = "Sample.Periodic",
        /// Start of the transaction.
        TransactionBegin = "Transaction.Begin",
        /// End of the transaction.
        TransactionEnd = "Transaction.End",
        /// Triggered by a request.
        Trigger = "Trigger",
    }
}

wire_enum! {
    /// OCPP 1.6 value format.
    ///
    /// ```
    /// use chargekit::meter::ValueFormat;
    /// assert_eq!("SignedData".parse::<ValueFormat>().unwrap(), ValueFormat::SignedData);
    /// ```
    pub enum ValueFormat {
        /// A plain number as text.
        Raw = "Raw",
        /// A signed data block (e.g. OCMF).
        SignedData = "SignedData",
    }
}
